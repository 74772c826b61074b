import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

async function login(email: string, password: string) {
  return server.app.inject({ method: 'POST', url: '/admin/v1/staff/login', payload: { email, password } });
}

describe('staff accounts and roles', () => {
  it('enforces a support role in the API: orders and customers only', async () => {
    const created = await server.admin('POST', '/admin/v1/staff', {
      email: 'help@shop.test',
      name: 'Helen',
      role: 'support',
      password: 'correct horse',
    });
    expect(created.statusCode).toBe(201);
    expect(created.json().scopes).toEqual(['orders:write', 'customers:write']);

    const session = await login('HELP@shop.test', 'correct horse');
    expect(session.statusCode).toBe(200);
    const token = session.json().token;
    expect(token).toMatch(/^st_/);

    const me = await server.store(token, 'GET', '/admin/v1/staff/me');
    expect(me.json()).toMatchObject({ kind: 'staff', scopes: ['orders:write', 'customers:write'] });
    const channels = await server.store(token, 'GET', '/admin/v1/channels');
    expect(channels.statusCode).toBe(403);
    expect(channels.json().code).toBe('insufficient_scope');
    const makeStaff = await server.store(token, 'POST', '/admin/v1/staff', {
      email: 'x@shop.test',
      name: 'X',
      role: 'owner',
      password: 'password1',
    });
    expect(makeStaff.statusCode).toBe(403);

    expect((await server.store(token, 'POST', '/admin/v1/staff/logout')).statusCode).toBe(204);
    expect((await server.store(token, 'GET', '/admin/v1/staff/me')).statusCode).toBe(401);
  });

  it('gives the same answer for an unknown email and a wrong password', async () => {
    await server.admin('POST', '/admin/v1/staff', {
      email: 'ro@shop.test',
      name: 'Reader',
      role: 'read_only',
      password: 'readonly-pass',
    });
    const wrongPassword = await login('ro@shop.test', 'not-the-password');
    const unknownEmail = await login('nobody@shop.test', 'not-the-password');
    expect(wrongPassword.statusCode).toBe(401);
    expect(unknownEmail.statusCode).toBe(401);
    expect(wrongPassword.json().detail).toBe(unknownEmail.json().detail);
  });

  it('stores argon2id hashes and locks out disabled accounts at once', async () => {
    const created = (
      await server.admin('POST', '/admin/v1/staff', {
        email: 'cm@shop.test',
        name: 'Cat',
        role: 'catalog_manager',
        password: 'catalog-pass',
      })
    ).json();
    const row = await server.db
      .selectFrom('staff_users')
      .select('password_hash')
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    expect(row.password_hash.startsWith('$argon2id$')).toBe(true);
    const token = (await login('cm@shop.test', 'catalog-pass')).json().token;
    expect((await server.store(token, 'GET', '/admin/v1/channels')).statusCode).toBe(200);
    expect(
      (await server.store(token, 'POST', '/admin/v1/keys', { kind: 'secret', name: 'x', scopes: ['*'] }))
        .statusCode,
    ).toBe(403);
    await server.admin('PATCH', `/admin/v1/staff/${created.id}`, { disabled: true });
    expect((await server.store(token, 'GET', '/admin/v1/channels')).statusCode).toBe(401);
  });

  it('rejects a duplicate email and unknown fields', async () => {
    const body = { email: 'dup@shop.test', name: 'D', role: 'support', password: 'password1' };
    expect((await server.admin('POST', '/admin/v1/staff', body)).statusCode).toBe(201);
    expect(
      (await server.admin('POST', '/admin/v1/staff', { ...body, email: 'DUP@shop.test' })).statusCode,
    ).toBe(409);
    const extra = await server.admin('POST', '/admin/v1/staff', {
      ...body,
      email: 'n@shop.test',
      scopes: ['*'],
    });
    expect(extra.statusCode).toBe(400);
    expect(extra.json().errors[0].field).toBe('/body/scopes');
  });
});
