import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test/harness.js';
import { registerHeadSites } from './head-sites.js';
import { registerProblemHandlers } from './problem.js';

function builtHead(marker: string) {
  const dir = mkdtempSync(join(tmpdir(), 'merx-head-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), `<!doctype html><title>${marker}</title>`);
  writeFileSync(join(dir, 'assets', 'app-3F7QK2ZB.js'), 'console.log(1)');
  writeFileSync(join(dir, 'assets', 'app-3F7QK2ZB.js.gz'), gzipSync('console.log(1)'));
  writeFileSync(join(dir, 'robots.txt'), 'User-agent: *');
  return dir;
}

describe('registerHeadSites', () => {
  const app = Fastify();
  beforeAll(async () => {
    registerProblemHandlers(app);
    app.get('/store/v1/channel', async () => ({ ok: true }));
    app.get('/admin/v1/staff/me', async () => ({ ok: true }));
    registerHeadSites(app, [
      { prefix: '/', distDir: builtHead('storefront') },
      { prefix: '/admin', distDir: builtHead('dashboard') },
      { prefix: '/later', distDir: join(tmpdir(), 'merx-not-built-yet') },
    ]);
    await app.ready();
  });
  afterAll(() => app.close());
  const get = (url: string, accept = 'text/html') => app.inject({ method: 'GET', url, headers: { accept } });

  it('serves files with their type; hashed assets are immutable, the rest revalidated', async () => {
    const asset = await get('/assets/app-3F7QK2ZB.js', '*/*');
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['content-type']).toContain('text/javascript');
    expect(asset.headers['cache-control']).toContain('immutable');
    const robots = await get('/robots.txt', '*/*');
    expect(robots.headers['cache-control']).toBe('no-cache');
    expect((await get('/')).body).toContain('storefront');
  });

  it('sends a precompressed .gz beside a file to browsers that accept gzip, and the file to others', async () => {
    const gzipped = await app.inject({
      method: 'GET',
      url: '/assets/app-3F7QK2ZB.js',
      headers: { 'accept-encoding': 'gzip, deflate, br' },
    });
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gzipped.headers.vary).toContain('accept-encoding');
    expect(gunzipSync(gzipped.rawPayload).toString()).toBe('console.log(1)');
    const plain = await get('/assets/app-3F7QK2ZB.js', '*/*');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe('console.log(1)');
    // No .gz beside it: sent uncompressed even when gzip is accepted.
    const robots = await app.inject({
      method: 'GET',
      url: '/robots.txt',
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(robots.headers['content-encoding']).toBeUndefined();
  });

  it('answers browser navigations to client-side routes with index.html, per prefix', async () => {
    expect((await get('/products/blue-shirt')).body).toContain('storefront');
    expect((await get('/admin')).body).toContain('dashboard');
    expect((await get('/admin/orders/ord_1')).body).toContain('dashboard');
  });

  it('leaves API paths, missing files and traversal to the problem+json 404', async () => {
    for (const url of ['/store/v1/nope', '/admin/v1/nope', '/payments/x', '/assets/missing.js', '/later/x']) {
      const response = await get(url);
      expect(response.statusCode, url).toBe(404);
      expect(response.headers['content-type']).toContain('application/problem+json');
    }
    expect((await get('/%2e%2e/%2e%2e/etc/passwd', '*/*')).statusCode).toBe(404);
    // Fastify refuses a malformed escape itself (400) before any route runs.
    expect((await get('/%E0%A4%A', '*/*')).statusCode).toBe(400);
    // A fetch (not a navigation) of an unknown path is a plain 404, not the page.
    expect((await get('/products/x', 'application/json')).statusCode).toBe(404);
    expect((await get('/store/v1/channel')).json()).toEqual({ ok: true });
    expect((await get('/admin/v1/staff/me')).json()).toEqual({ ok: true });
  });
});

describe('/storefront-config.json', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('gives the first web channel’s publishable key and the API address, and is not in the OpenAPI document', async () => {
    const empty = await server.app.inject({ method: 'GET', url: '/storefront-config.json' });
    expect(empty.json()).toMatchObject({ publishable_key: null, channel: null });
    await server.newChannel({ kind: 'mobile' });
    const web = await server.newChannel({ kind: 'web', name: 'Web' });
    await server.newChannel({ kind: 'web', name: 'Second web' });
    const response = await server.app.inject({
      method: 'GET',
      url: '/storefront-config.json',
      headers: { host: 'shop.test:3000' },
    });
    expect(response.headers['cache-control']).toBe('no-cache');
    expect(response.json()).toEqual({
      api_base_url: 'http://shop.test:3000',
      publishable_key: web.key,
      channel: { id: web.id, name: 'Web' },
    });
    const document = (await server.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(
      Object.keys(document.paths).filter((path) => !path.startsWith('/store') && !path.startsWith('/admin')),
    ).not.toContain('/storefront-config.json');
    expect(Object.keys(document.paths)).not.toContain('/*');
  });
});
