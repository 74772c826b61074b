import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './harness.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({
    bodyLimitBytes: 4096,
    rateLimitPerMinute: 30,
    corsOrigins: ['https://shop.example'],
  });
});
afterAll(() => server.close());

describe('platform behaviour on every route', () => {
  it('answers unknown routes with problem+json 404', async () => {
    const response = await server.app.inject({ method: 'GET', url: '/store/v1/nope' });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({ status: 404, code: 'route_not_found' });
  });

  it('refuses an oversized body with 413 and stores nothing', async () => {
    const before = (await server.admin('GET', '/admin/v1/channels')).json().data.length;
    const response = await server.admin('POST', '/admin/v1/channels', {
      name: 'x'.repeat(5000),
      kind: 'web',
      default_currency: 'EUR',
    });
    expect(response.statusCode).toBe(413);
    expect(response.json().code).toBe('body_too_large');
    expect((await server.admin('GET', '/admin/v1/channels')).json().data.length).toBe(before);
  });

  it('reports every wrong field at once', async () => {
    const response = await server.admin('POST', '/admin/v1/channels', {
      name: 7,
      kind: 'fax',
      default_currency: 'eur',
    });
    expect(response.statusCode).toBe(400);
    const fields = response.json().errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['/body/name', '/body/kind', '/body/default_currency']));
  });

  it('echoes a request id and generates one when absent', async () => {
    const given = await server.app.inject({
      method: 'GET',
      url: '/health',
      headers: { 'x-request-id': 'abc.123' },
    });
    expect(given.headers['x-request-id']).toBe('abc.123');
    const generated = await server.app.inject({ method: 'GET', url: '/health' });
    expect(generated.headers['x-request-id']).toMatch(/^req_/);
  });

  it('reports readiness with the database kind', async () => {
    const response = await server.app.inject({ method: 'GET', url: '/ready' });
    expect(response.statusCode).toBe(200);
    expect(response.json().database).toBe(process.env.DATABASE_URL ? 'postgres' : 'pglite');
  });

  it('allows only configured CORS origins', async () => {
    const allowed = await server.app.inject({
      method: 'OPTIONS',
      url: '/store/v1/channel',
      headers: { origin: 'https://shop.example', 'access-control-request-method': 'GET' },
    });
    expect(allowed.headers['access-control-allow-origin']).toBe('https://shop.example');
    const denied = await server.app.inject({
      method: 'OPTIONS',
      url: '/store/v1/channel',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
    });
    expect(denied.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('rate-limits a key past its budget with 429 problem+json', async () => {
    const channel = await server.newChannel();
    let limited = null;
    for (let i = 0; i < 40 && !limited; i++) {
      const response = await server.store(channel.key, 'GET', '/store/v1/channel');
      if (response.statusCode === 429) limited = response;
    }
    expect(limited).not.toBeNull();
    expect(limited!.headers['content-type']).toContain('application/problem+json');
    expect(limited!.json().code).toBe('rate_limited');
  });
});
