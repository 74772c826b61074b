import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { serverDocument } from '../scripts/document.js';
import { renderSchema } from '../scripts/render.js';

describe('generated types', () => {
  it('src/schema.d.ts is exactly what the server’s OpenAPI document generates (run `npm run generate -w @merx/sdk`)', async () => {
    const fresh = await renderSchema(await serverDocument());
    const committed = readFileSync(new URL('../src/schema.d.ts', import.meta.url), 'utf8');
    if (fresh !== committed) {
      const freshLines = fresh.split('\n');
      const committedLines = committed.split('\n');
      const first = freshLines.findIndex((line, i) => line !== committedLines[i]);
      expect.fail(
        `src/schema.d.ts is stale (first difference at line ${first + 1}: ` +
          `committed ${JSON.stringify(committedLines[first])}, server ${JSON.stringify(freshLines[first])}). ` +
          'Run `npm run generate -w @merx/sdk` and commit the result.',
      );
    }
  });
});
