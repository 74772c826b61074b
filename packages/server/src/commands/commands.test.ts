import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMerx } from '../../test/cli.js';
import { startTestServer, type TestServer } from '../../test/harness.js';
import { registerImportCommand } from './import.js';
import { registerKeysCommands } from './keys.js';
import { registerSeedCommand } from './seed.js';

let server: TestServer;
const tempDirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'merx-import-'));
  tempDirs.push(dir);
  return dir;
};
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  await server.close();
});

/** Runs `merx <args>` through the real commander wiring against the test database. */
const merx = (...args: string[]) =>
  runMerx(server, [registerSeedCommand, registerImportCommand, registerKeysCommands], args);

const keyOf = (output: string, channel: string) =>
  new RegExp(`${channel}\\s+\\(\\w+\\) publishable key: (pk_\\S+)`).exec(output)?.[1] as string;

describe('merx seed', () => {
  let webKey: string;
  let voiceKey: string;

  it('seeds 200 products with channels, keys, categories and stock', async () => {
    const { output, failures } = await merx('seed', '--products', '200');
    expect(failures).toEqual([]);
    expect(output).toMatch(/200 created, 0 updated, 0 failed, \d+ stock levels/);
    webKey = keyOf(output, 'Web store');
    voiceKey = keyOf(output, 'Voice');
    expect(webKey).toMatch(/^pk_/);

    const runners = await server.store(webKey, 'GET', '/store/v1/products?category=running-shoes&limit=20');
    expect(runners.statusCode).toBe(200);
    const shoes = runners.json().data;
    expect(shoes.length).toBeGreaterThan(5);
    expect(shoes[0].variants[0].price).toMatchObject({ currency: 'EUR' });

    const detail = await server.store(webKey, 'GET', `/store/v1/products/${shoes[0].handle}`);
    expect(detail.statusCode).toBe(200);
    expect(detail.json().variants.some((v: { availability: unknown }) => v.availability !== null)).toBe(true);

    const tree = (await server.store(webKey, 'GET', '/store/v1/categories')).json();
    expect(JSON.stringify(tree)).toContain('running-shoes');
    // Stock levels go through the inventory module one at a time: slow on a busy machine.
  }, 240_000);

  it('gives the voice channel a smaller assortment than the web store', async () => {
    const count = async (key: string) => {
      let total = 0;
      let cursor = '';
      do {
        const page = (await server.store(key, 'GET', `/store/v1/products?limit=100${cursor}`)).json();
        total += page.data.length;
        cursor = page.next_cursor ? `&cursor=${page.next_cursor}` : '';
      } while (cursor);
      return total;
    };
    const [web, voice] = [await count(webKey), await count(voiceKey)];
    expect(web).toBeGreaterThan(150);
    expect(voice).toBeGreaterThan(0);
    expect(voice).toBeLessThan(web / 2);
  });

  it('is safe to repeat: the same seed updates the same products and reuses the channels', async () => {
    const { output, failures } = await merx('seed', '--products', '50', '--no-stock');
    expect(failures).toEqual([]);
    expect(output).toContain('0 created, 50 updated, 0 failed');
    expect(keyOf(output, 'Web store')).toBe(webKey);
  });

  it('skips with --demo once the database has channels', async () => {
    const { output } = await merx('seed', '--demo');
    expect(output).toContain('demo seed skipped');
  });
});

describe('merx import', () => {
  it('imports good lines, reports each bad line and fails', async () => {
    const dir = tempDir();
    const file = join(dir, 'products.jsonl');
    const good = {
      handle: 'cli-import-mug',
      title: 'Mug',
      status: 'published',
      variants: [{ sku: 'CLI-MUG-1' }],
    };
    const unknownCategory = { handle: 'cli-import-bad', title: 'Bad', categories: ['no-such-category'] };
    writeFileSync(file, `${JSON.stringify(good)}\n{"handle": broken\n\n${JSON.stringify(unknownCategory)}\n`);
    const { output, failures } = await merx('import', file);
    expect(output).toContain('1 created, 0 updated, 2 failed');
    expect(output).toContain('line 2: / is not valid JSON');
    expect(output).toContain('line 4 (cli-import-bad): /categories/0 no-such-category does not exist');
    expect(failures).toEqual(['2 product(s) were not imported']);
  });

  it('imports CSV, one row per variant, and reports a bad cell by its line', async () => {
    const dir = tempDir();
    const file = join(dir, 'products.csv');
    writeFileSync(
      file,
      [
        'handle,title,status,options,sku,option:Size,price:EUR',
        'cli-csv-tee,CSV Tee,published,"[{""name"":""Size"",""values"":[""S"",""M""]}]",CLI-CSV-TEE-S,S,1999',
        'cli-csv-tee,,,,CLI-CSV-TEE-M,M,1999',
        'cli-csv-bad,Bad,published,,CLI-CSV-BAD-1,,12.50',
        '',
      ].join('\n'),
    );
    const { output, failures } = await merx('import', file);
    expect(output).toContain('1 created, 0 updated, 1 failed');
    expect(output).toMatch(/line 4 \(cli-csv-bad\): \S*price:EUR/);
    expect(failures).toEqual(['1 product(s) were not imported']);

    const header = join(dir, 'header.csv');
    writeFileSync(header, 'handle,colour\nx,red\n');
    expect((await merx('import', header)).failures[0]).toContain('unknown columns');
  });

  it('refuses an unknown file type', async () => {
    const { failures } = await merx('import', 'products.xml');
    expect(failures[0]).toContain('expected a .jsonl, .ndjson or .csv file');
  });
});

describe('merx keys', () => {
  it('creates a publishable key by channel name, lists it and revokes it', async () => {
    const created = await merx('keys', 'create-publishable', 'Mobile app');
    const [, id, token] = /^(key_\w+)\s+publishable key for Mobile app: (pk_\S+)$/.exec(created.output) ?? [];
    expect(token).toBeDefined();
    expect((await server.store(token as string, 'GET', '/store/v1/channel')).json().kind).toBe('mobile');
    expect((await merx('keys', 'list')).output).toContain(token);
    await merx('keys', 'revoke', id as string);
    expect((await merx('keys', 'list')).output).toMatch(new RegExp(`${id}\\s+publishable\\s+revoked`));
  });

  it('reports an unknown channel without a stack trace', async () => {
    const { failures } = await merx('keys', 'create-publishable', 'fax');
    expect(failures[0]).toContain('No channel matches "fax"');
  });
});
