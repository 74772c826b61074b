import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStockedProduct, type LiveServer, startLiveServer } from './server.js';

const run = promisify(execFile);
const sdkDir = fileURLToPath(new URL('..', import.meta.url));
const docs = readFileSync(new URL('../../../docs/heads.md', import.meta.url), 'utf8');

/** The code block under the docs' "Another head in a dozen lines" heading, verbatim. */
function documentedSnippet(): string {
  const section = docs.slice(docs.indexOf('### Another head in a dozen lines'));
  const block = /```js\n([\s\S]*?)```/.exec(section);
  if (!block) throw new Error('docs/heads.md has no js block under "Another head in a dozen lines"');
  return block[1];
}

let live: LiveServer;
let channel: { id: string; key: string };
beforeAll(async () => {
  live = await startLiveServer();
  channel = await live.server.newChannel();
  await createStockedProduct(live, channel.id, [2599]);
  // The snippet imports the package as a Node consumer would: from its built dist/.
  await run('npm', ['run', 'build', '--silent'], { cwd: sdkDir });
});
afterAll(() => live.close());

describe('docs/heads.md', () => {
  it('builds a working head in a dozen lines, running in plain Node 20 against the built SDK', async () => {
    const snippet = documentedSnippet();
    expect(snippet.split('\n').filter((line) => line.trim() !== '').length).toBeLessThanOrEqual(12);
    const { stdout } = await run(process.execPath, ['--input-type=module', '--eval', snippet], {
      cwd: sdkDir,
      env: { ...process.env, MERX_URL: live.baseUrl, MERX_KEY: channel.key },
      timeout: 60_000,
    });
    expect(stdout).toMatch(/live: cart\.snapshot, 0 line\(s\)/);
    expect(stdout).toMatch(/: order #\d+ (paid|authorised), 2599 EUR minor units/);
  });
});
