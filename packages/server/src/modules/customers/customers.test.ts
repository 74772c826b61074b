import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, unique } from '../../../test/harness.js';
import { getConsent, getCustomer } from './service.js';
import { resolveCustomerSession } from './session.js';

let server: TestServer;
let shop: { id: string; key: string };
beforeAll(async () => {
  server = await startTestServer();
  shop = await server.newChannel({ name: 'Customers web' });
});
afterAll(() => server.close());

const PASSWORD = 'correct horse battery';
const newEmail = () => `${unique('shopper')}@example.com`;
const session = (token: string) => ({ 'x-customer-token': token });

async function register(email = newEmail(), extra: Record<string, unknown> = {}) {
  const response = await server.store(shop.key, 'POST', '/store/v1/customers', {
    email,
    password: PASSWORD,
    ...extra,
  });
  expect(response.statusCode).toBe(201);
  return response.json();
}

async function signIn(email: string, password = PASSWORD, key = shop.key): Promise<string> {
  const response = await server.store(key, 'POST', '/store/v1/customers/login', { email, password });
  expect(response.statusCode).toBe(200);
  return response.json().token;
}

async function newCustomer() {
  const email = newEmail();
  const customer = await register(email);
  return { customer, email, token: await signIn(email) };
}

const eventsOf = (customerId: string, type: string) =>
  server.db
    .selectFrom('events')
    .selectAll()
    .where('customer_id', '=', customerId)
    .where('type', '=', type)
    .execute();

describe('registration', () => {
  it('stores an argon2id hash, never returns it, and emits customer.created in the same write', async () => {
    const email = newEmail();
    const customer = await register(email, { first_name: 'Ada', consent_marketing: true });
    expect(customer.id).toMatch(/^cus_[0-9a-z]{26}$/);
    expect(customer).toMatchObject({ email, first_name: 'Ada', consent_marketing: true, version: 1 });
    expect(customer.consent_marketing_updated_at).not.toBeNull();
    expect(customer.consent_personalisation).toBe(false);
    expect(customer.consent_personalisation_updated_at).toBeNull();
    expect(JSON.stringify(customer)).not.toContain('argon2');

    const row = await server.db
      .selectFrom('customers')
      .select('password_hash')
      .where('id', '=', customer.id)
      .executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(row.password_hash).not.toContain(PASSWORD);

    const [event, ...others] = await eventsOf(customer.id, 'customer.created');
    expect(others).toHaveLength(0);
    expect(event).toMatchObject({ resource_id: customer.id, channel_id: shop.id });
    expect(JSON.stringify(event.data)).not.toContain('argon2');
  });

  it('refuses a registered email in any letter case with 409, creating nothing', async () => {
    const email = newEmail();
    await register(email);
    const again = await server.store(shop.key, 'POST', '/store/v1/customers', {
      email: email.toUpperCase(),
      password: 'another password',
    });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'email_taken' });
    expect(again.json().errors).toEqual([{ field: '/body/email', message: 'is already registered' }]);
    const rows = await server.db
      .selectFrom('customers')
      .select('id')
      .where('email', 'ilike', email)
      .execute();
    expect(rows).toHaveLength(1);
  });

  it.each([
    ['too short', 'short', 'must be at least 8 characters'],
    ['too long', 'x'.repeat(257), 'must be at most 256 characters'],
    ['only spaces', ' '.repeat(12), 'must not be only spaces'],
  ])('rejects a password that is %s with 422 weak_password', async (_label, password, message) => {
    const email = newEmail();
    const response = await server.store(shop.key, 'POST', '/store/v1/customers', { email, password });
    expect(response.statusCode).toBe(422);
    expect(response.json()).toMatchObject({ code: 'weak_password' });
    expect(response.json().errors).toContainEqual({ field: '/body/password', message });
    const login = await server.store(shop.key, 'POST', '/store/v1/customers/login', { email, password });
    expect(login.statusCode).toBe(401);
  });

  it('lets exactly one of two concurrent registrations of one email win', async () => {
    const email = newEmail();
    const results = await Promise.all(
      [email, email.toUpperCase()].map((address) =>
        server.store(shop.key, 'POST', '/store/v1/customers', { email: address, password: PASSWORD }),
      ),
    );
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409]);
  });

  it('rejects the email as password, and counts characters not bytes', async () => {
    const email = newEmail();
    const same = await server.store(shop.key, 'POST', '/store/v1/customers', { email, password: email });
    expect(same.json().errors).toContainEqual({
      field: '/body/password',
      message: 'must not be the email address',
    });
    // Four emoji are 16 UTF-8 bytes but 4 characters: still too short.
    const emoji = await server.store(shop.key, 'POST', '/store/v1/customers', {
      email,
      password: '🔑🔑🔑🔑',
    });
    expect(emoji.statusCode).toBe(422);
    const accepted = await server.store(shop.key, 'POST', '/store/v1/customers', {
      email,
      password: 'ünïcødé pässwörd',
    });
    expect(accepted.statusCode).toBe(201);
  });

  it('rejects unknown fields and a malformed email with 400', async () => {
    const email = newEmail();
    const mass = await server.store(shop.key, 'POST', '/store/v1/customers', {
      email,
      password: PASSWORD,
      password_hash: '$argon2id$forged',
      group_ids: ['cgrp_vip'],
    });
    expect(mass.statusCode).toBe(400);
    expect(mass.json().errors).toEqual(
      expect.arrayContaining([
        { field: '/body/password_hash', message: 'is not a known field' },
        { field: '/body/group_ids', message: 'is not a known field' },
      ]),
    );
    const bad = await server.store(shop.key, 'POST', '/store/v1/customers', {
      email: 'not-an-email',
      password: PASSWORD,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('/body/email');
    const rows = await server.db.selectFrom('customers').select('id').where('email', '=', email).execute();
    expect(rows).toHaveLength(0);
  });
});

describe('login and sessions', () => {
  it('answers a wrong password and an unknown email identically', async () => {
    const email = newEmail();
    await register(email);
    const wrong = await server.store(shop.key, 'POST', '/store/v1/customers/login', {
      email,
      password: 'wrong password',
    });
    const unknown = await server.store(shop.key, 'POST', '/store/v1/customers/login', {
      email: newEmail(),
      password: PASSWORD,
    });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toEqual(unknown.json());
    expect(wrong.json().code).toBe('invalid_credentials');
  });

  it('opens a session that signs the customer in on this channel only', async () => {
    const email = newEmail();
    const customer = await register(email);
    const login = await server.store(shop.key, 'POST', '/store/v1/customers/login', {
      email: `  ${email.toUpperCase()} `,
      password: PASSWORD,
    });
    expect(login.statusCode).toBe(200);
    const { token, expires_at, customer: signedIn } = login.json();
    expect(token).toMatch(/^cst_[A-Za-z0-9_-]{43}$/);
    expect(signedIn.id).toBe(customer.id);
    const days = (Date.parse(expires_at) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThanOrEqual(30);

    const me = await server.store(shop.key, 'GET', '/store/v1/customers/me', undefined, session(token));
    expect(me.statusCode).toBe(200);
    expect(me.json().id).toBe(customer.id);

    // The token is stored only as its SHA-256.
    const stored = await server.db.selectFrom('customer_sessions').select('token_hash').execute();
    expect(stored.map((s) => s.token_hash)).not.toContain(token);

    const otherChannel = await server.newChannel({ name: 'Other head' });
    const elsewhere = await server.store(
      otherChannel.key,
      'GET',
      '/store/v1/customers/me',
      undefined,
      session(token),
    );
    expect(elsewhere.statusCode).toBe(401);
    expect(elsewhere.json().code).toBe('invalid_session');
  });

  it('tells a missing session from a bad one', async () => {
    const anonymous = await server.store(shop.key, 'GET', '/store/v1/customers/me');
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().code).toBe('login_required');
    for (const bogus of ['cst_nope', `cst_${'A'.repeat(43)}`, '']) {
      const response = await server.store(shop.key, 'GET', '/store/v1/channel', undefined, session(bogus));
      expect(response.statusCode).toBe(401);
      expect(response.json().code).toBe('invalid_session');
    }
  });

  it('revokes the session at logout, leaving the customer’s other sessions alive', async () => {
    const { email, token } = await newCustomer();
    const phone = await signIn(email);
    const out = await server.store(shop.key, 'POST', '/store/v1/customers/logout', {}, session(token));
    expect(out.statusCode).toBe(204);
    const after = await server.store(shop.key, 'GET', '/store/v1/customers/me', undefined, session(token));
    expect(after.statusCode).toBe(401);
    expect(after.json().code).toBe('invalid_session');
    const again = await server.store(shop.key, 'POST', '/store/v1/customers/logout', {}, session(token));
    expect(again.statusCode).toBe(401);
    const other = await server.store(shop.key, 'GET', '/store/v1/customers/me', undefined, session(phone));
    expect(other.statusCode).toBe(200);
    // The next login clears the dead session row instead of keeping it forever.
    await signIn(email);
    const rows = await server.db
      .selectFrom('customer_sessions')
      .select('revoked_at')
      .innerJoin('customers', 'customers.id', 'customer_sessions.customer_id')
      .where('customers.email', '=', email)
      .execute();
    expect(rows).toHaveLength(2);
    expect(rows.every((row) => row.revoked_at === null)).toBe(true);
  });

  it('refuses an expired session', async () => {
    const { customer, token } = await newCustomer();
    await server.db
      .updateTable('customer_sessions')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('customer_id', '=', customer.id)
      .execute();
    const response = await server.store(shop.key, 'GET', '/store/v1/customers/me', undefined, session(token));
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe('invalid_session');
  });

  it('locks an account after 10 wrong passwords in 15 minutes, until a password reset', async () => {
    const { customer, email } = await newCustomer();
    const attempt = (password: string) =>
      server.store(shop.key, 'POST', '/store/v1/customers/login', { email, password });
    for (let i = 0; i < 9; i++) expect((await attempt(`wrong password ${i}`)).statusCode).toBe(401);
    await signIn(email); // a success clears the count
    for (let i = 0; i < 10; i++) expect((await attempt(`wrong password ${i}`)).statusCode).toBe(401);
    const locked = await attempt(PASSWORD);
    expect(locked.statusCode).toBe(429);
    expect(locked.json().code).toBe('too_many_attempts');
    expect(locked.json().retry_after).toBeGreaterThan(800);
    expect(locked.json().retry_after).toBeLessThanOrEqual(900);
    const view = await server.admin('GET', `/admin/v1/customers/${customer.id}`);
    expect(Date.parse(view.json().locked_until)).toBeGreaterThan(Date.now());

    await server.store(shop.key, 'POST', '/store/v1/customers/password-reset', { email });
    const [request] = await eventsOf(customer.id, 'customer.password_reset_requested');
    const confirm = await server.store(shop.key, 'POST', '/store/v1/customers/password-reset/confirm', {
      token: (request.data as { token: string }).token,
      password: 'unlocked new secret',
    });
    expect(confirm.statusCode).toBe(204);
    await signIn(email, 'unlocked new secret');
  });

  it('forgets wrong passwords older than the window', async () => {
    const { customer, email } = await newCustomer();
    await server.db
      .updateTable('customers')
      .set({ failed_login_count: 9, last_failed_login_at: new Date(Date.now() - 16 * 60_000) })
      .where('id', '=', customer.id)
      .execute();
    await server.store(shop.key, 'POST', '/store/v1/customers/login', { email, password: 'wrong password' });
    const row = await server.db
      .selectFrom('customers')
      .select(['failed_login_count', 'locked_until'])
      .where('id', '=', customer.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ failed_login_count: 1, locked_until: null });
  });

  it('upgrades a hash made with older parameters at the next login', async () => {
    const { customer, email } = await newCustomer();
    const { hash } = await import('@node-rs/argon2');
    const weak = await hash(PASSWORD, { algorithm: 2, memoryCost: 4096, timeCost: 1, parallelism: 1 });
    await server.db
      .updateTable('customers')
      .set({ password_hash: weak })
      .where('id', '=', customer.id)
      .execute();
    await signIn(email);
    const row = await server.db
      .selectFrom('customers')
      .select('password_hash')
      .where('id', '=', customer.id)
      .executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });
});

describe('profile', () => {
  it('updates names and consent with If-Match, dating only changed choices', async () => {
    const { token, customer } = await newCustomer();
    const patched = await server.store(
      shop.key,
      'PATCH',
      '/store/v1/customers/me',
      { first_name: 'Grace', consent_personalisation: true },
      { ...session(token), 'if-match': '1' },
    );
    expect(patched.statusCode).toBe(200);
    const body = patched.json();
    expect(body).toMatchObject({ first_name: 'Grace', consent_personalisation: true, version: 2 });
    expect(body.consent_personalisation_updated_at).not.toBeNull();
    expect(body.consent_marketing_updated_at).toBeNull();

    const same = await server.store(
      shop.key,
      'PATCH',
      '/store/v1/customers/me',
      { consent_personalisation: true },
      session(token),
    );
    expect(same.json().consent_personalisation_updated_at).toBe(body.consent_personalisation_updated_at);

    const stale = await server.store(
      shop.key,
      'PATCH',
      '/store/v1/customers/me',
      { last_name: 'Lost' },
      { ...session(token), 'if-match': '1' },
    );
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({
      code: 'version_conflict',
      current: { id: customer.id, version: 3 },
    });
    expect(stale.json().current.last_name).toBeNull();

    const updates = await eventsOf(customer.id, 'customer.updated');
    expect(updates).toHaveLength(2);
  });

  it('gives other modules the consent flags and a customer without secrets', async () => {
    const { customer, token } = await newCustomer();
    await server.store(
      shop.key,
      'PATCH',
      '/store/v1/customers/me',
      { consent_personalisation: true },
      session(token),
    );
    expect(await getConsent(server.db, customer.id)).toEqual({ personalisation: true, marketing: false });
    const shown = await getCustomer(server.db, customer.id);
    expect(shown).toMatchObject({ id: customer.id, email: customer.email });
    expect(Object.keys(shown)).not.toContain('password_hash');
    expect(Object.keys(shown)).not.toContain('locked_until');
    await expect(getConsent(server.db, 'cus_00000000000000000000000000')).rejects.toMatchObject({
      status: 404,
    });
  });

  it('refuses to change email, hash or groups through the profile', async () => {
    const { token, customer } = await newCustomer();
    for (const field of ['email', 'password_hash', 'group_ids', 'id', 'metadata']) {
      const response = await server.store(
        shop.key,
        'PATCH',
        '/store/v1/customers/me',
        { [field]: 'x' },
        session(token),
      );
      expect(response.statusCode).toBe(400);
      expect(response.json().errors).toContainEqual({
        field: `/body/${field}`,
        message: 'is not a known field',
      });
    }
    const me = await server.store(shop.key, 'GET', '/store/v1/customers/me', undefined, session(token));
    expect(me.json()).toMatchObject({ email: customer.email, version: 1 });
  });
});

describe('addresses', () => {
  const address = { line1: '221B Baker Street', city: 'London', postal_code: 'NW1 6XE', country: 'GB' };

  it('creates, lists, updates and deletes, keeping one default of each kind', async () => {
    const { token } = await newCustomer();
    const add = (body: Record<string, unknown>) =>
      server.store(shop.key, 'POST', '/store/v1/customers/me/addresses', body, session(token));
    const home = await add({ ...address, is_default_shipping: true, is_default_billing: true });
    expect(home.statusCode).toBe(201);
    expect(home.json()).toMatchObject({ ...address, is_default_shipping: true, line2: null, version: 1 });
    const work = await add({ ...address, line1: '1 Work Road', is_default_shipping: true });
    expect(work.statusCode).toBe(201);

    const list = await server.store(
      shop.key,
      'GET',
      '/store/v1/customers/me/addresses',
      undefined,
      session(token),
    );
    const byLine = Object.fromEntries(list.json().data.map((a: { line1: string }) => [a.line1, a]));
    expect(byLine['221B Baker Street']).toMatchObject({
      is_default_shipping: false,
      is_default_billing: true,
    });
    expect(byLine['1 Work Road']).toMatchObject({ is_default_shipping: true, is_default_billing: false });

    const url = `/store/v1/customers/me/addresses/${home.json().id}`;
    const patched = await server.store(
      shop.key,
      'PATCH',
      url,
      { postal_code: null, region: 'Greater London' },
      { ...session(token), 'if-match': '1' },
    );
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ postal_code: null, region: 'Greater London', version: 2 });
    const stale = await server.store(
      shop.key,
      'PATCH',
      url,
      { city: 'Leeds' },
      { ...session(token), 'if-match': '1' },
    );
    expect(stale.statusCode).toBe(409);

    expect((await server.store(shop.key, 'DELETE', url, undefined, session(token))).statusCode).toBe(204);
    expect((await server.store(shop.key, 'GET', url, undefined, session(token))).statusCode).toBe(404);
  });

  it('rejects a country that does not exist and unknown fields, saving nothing', async () => {
    const { token } = await newCustomer();
    const uk = await server.store(
      shop.key,
      'POST',
      '/store/v1/customers/me/addresses',
      { ...address, country: 'UK' },
      session(token),
    );
    expect(uk.statusCode).toBe(422);
    expect(uk.json().errors).toEqual([
      { field: '/body/country', message: 'is not an ISO 3166-1 alpha-2 country code' },
    ]);
    const lower = await server.store(
      shop.key,
      'POST',
      '/store/v1/customers/me/addresses',
      { ...address, country: 'gb' },
      session(token),
    );
    expect(lower.statusCode).toBe(400);
    const extra = await server.store(
      shop.key,
      'POST',
      '/store/v1/customers/me/addresses',
      { ...address, customer_id: 'cus_someone_else' },
      session(token),
    );
    expect(extra.statusCode).toBe(400);
    const list = await server.store(
      shop.key,
      'GET',
      '/store/v1/customers/me/addresses',
      undefined,
      session(token),
    );
    expect(list.json().data).toEqual([]);
  });

  it('hides another customer’s address behind the same 404 as an unknown id, and changes nothing', async () => {
    const alice = await newCustomer();
    const mallory = await newCustomer();
    const created = await server.store(
      shop.key,
      'POST',
      '/store/v1/customers/me/addresses',
      { ...address, first_name: 'Alice' },
      session(alice.token),
    );
    const url = `/store/v1/customers/me/addresses/${created.json().id}`;
    const unknownUrl = '/store/v1/customers/me/addresses/cadr_00000000000000000000000000';

    const attempts = [
      ['GET', undefined],
      ['PATCH', { first_name: 'Mallory' }],
      ['DELETE', undefined],
    ] as const;
    for (const [method, body] of attempts) {
      const theirs = await server.store(shop.key, method, url, body, session(mallory.token));
      const unknown = await server.store(shop.key, method, unknownUrl, body, session(mallory.token));
      expect(theirs.statusCode).toBe(404);
      expect(unknown.statusCode).toBe(404);
      expect(theirs.json().code).toBe(unknown.json().code);
      expect(JSON.stringify(theirs.json())).not.toContain('Alice');
    }
    const mine = await server.store(
      shop.key,
      'GET',
      '/store/v1/customers/me/addresses',
      undefined,
      session(mallory.token),
    );
    expect(mine.json().data).toEqual([]);
    const still = await server.store(shop.key, 'GET', url, undefined, session(alice.token));
    expect(still.json()).toMatchObject({ first_name: 'Alice', version: 1 });
  });

  it('needs a signed-in customer', async () => {
    const response = await server.store(shop.key, 'POST', '/store/v1/customers/me/addresses', address);
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe('login_required');
  });
});

describe('password reset', () => {
  const resetTokenOf = async (customerId: string) => {
    const events = await eventsOf(customerId, 'customer.password_reset_requested');
    return (events.at(-1)?.data as { token: string } | undefined)?.token;
  };

  it('answers 202 for any email and hands a token only to the event for a real account', async () => {
    const { customer, email, token: oldSession } = await newCustomer();
    const unknown = await server.store(shop.key, 'POST', '/store/v1/customers/password-reset', {
      email: newEmail(),
    });
    const known = await server.store(shop.key, 'POST', '/store/v1/customers/password-reset', {
      email: email.toUpperCase(),
    });
    expect(unknown.statusCode).toBe(202);
    expect(known.statusCode).toBe(202);
    expect(known.body).toBe(unknown.body);
    const resetToken = await resetTokenOf(customer.id);
    expect(resetToken).toMatch(/^prt_/);
    const listed = await server.admin(
      'GET',
      `/admin/v1/events?type=customer.password_reset_requested&customer_id=${customer.id}`,
    );
    expect(listed.statusCode).toBe(200);
    expect(listed.json().data.at(-1).data.token).toBe('[redacted]');
    expect(listed.body).not.toContain(resetToken);
    const stored = await server.db.selectFrom('password_reset_tokens').select('token_hash').execute();
    expect(stored.map((row) => row.token_hash)).not.toContain(resetToken);

    const confirm = (body: unknown) =>
      server.store(shop.key, 'POST', '/store/v1/customers/password-reset/confirm', body);
    const weak = await confirm({ token: resetToken, password: 'short' });
    expect(weak.statusCode).toBe(422);
    expect(weak.json().code).toBe('weak_password');

    const done = await confirm({ token: resetToken, password: 'a brand new secret' });
    expect(done.statusCode).toBe(204);
    const reused = await confirm({ token: resetToken, password: 'yet another secret' });
    expect(reused.statusCode).toBe(422);
    expect(reused.json().code).toBe('invalid_reset_token');

    const revoked = await server.store(
      shop.key,
      'GET',
      '/store/v1/customers/me',
      undefined,
      session(oldSession),
    );
    expect(revoked.json().code).toBe('invalid_session');
    const oldPassword = await server.store(shop.key, 'POST', '/store/v1/customers/login', {
      email,
      password: PASSWORD,
    });
    expect(oldPassword.statusCode).toBe(401);
    await signIn(email, 'a brand new secret');
    expect(await eventsOf(customer.id, 'customer.password_changed')).toHaveLength(1);
  });

  it('keeps only the newest token valid and refuses expired ones', async () => {
    const { customer, email } = await newCustomer();
    const request = () => server.store(shop.key, 'POST', '/store/v1/customers/password-reset', { email });
    await request();
    const first = await resetTokenOf(customer.id);
    await request();
    const second = await resetTokenOf(customer.id);
    expect(second).not.toBe(first);
    const confirm = (token: string | undefined) =>
      server.store(shop.key, 'POST', '/store/v1/customers/password-reset/confirm', {
        token,
        password: 'replacement secret',
      });
    expect((await confirm(first)).statusCode).toBe(422);
    await server.db
      .updateTable('password_reset_tokens')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('customer_id', '=', customer.id)
      .execute();
    expect((await confirm(second)).json().code).toBe('invalid_reset_token');
    await signIn(email);
  });

  it('spends a token once even when confirmed twice at the same time', async () => {
    const { customer, email } = await newCustomer();
    await server.store(shop.key, 'POST', '/store/v1/customers/password-reset', { email });
    const token = await resetTokenOf(customer.id);
    const results = await Promise.all(
      ['first new secret', 'second new secret'].map((password) =>
        server.store(shop.key, 'POST', '/store/v1/customers/password-reset/confirm', { token, password }),
      ),
    );
    expect(results.map((r) => r.statusCode).sort()).toEqual([204, 422]);
  });
});

describe('password change', () => {
  it('needs the current password, keeps this session and ends the others', async () => {
    const { customer, email, token } = await newCustomer();
    const laptop = await signIn(email);
    const change = (body: unknown) =>
      server.store(shop.key, 'POST', '/store/v1/customers/me/password', body, session(token));
    const wrong = await change({ current_password: 'not it at all', new_password: 'fresh new secret' });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json()).toMatchObject({ code: 'wrong_password' });
    const weak = await change({ current_password: PASSWORD, new_password: email });
    expect(weak.json().code).toBe('weak_password');
    await signIn(email); // nothing changed so far

    expect((await change({ current_password: PASSWORD, new_password: 'fresh new secret' })).statusCode).toBe(
      204,
    );
    const me = await server.store(shop.key, 'GET', '/store/v1/customers/me', undefined, session(token));
    expect(me.statusCode).toBe(200);
    const other = await server.store(shop.key, 'GET', '/store/v1/customers/me', undefined, session(laptop));
    expect(other.json().code).toBe('invalid_session');
    await signIn(email, 'fresh new secret');
    expect(await eventsOf(customer.id, 'customer.password_changed')).toHaveLength(1);
  });

  it('needs a signed-in customer', async () => {
    const response = await server.store(shop.key, 'POST', '/store/v1/customers/me/password', {
      current_password: PASSWORD,
      new_password: 'fresh new secret',
    });
    expect(response.json().code).toBe('login_required');
  });
});

describe('admin', () => {
  it('searches by email or name with cursor pagination', async () => {
    const tag = unique('zq').replace('-', '');
    const made = [];
    for (const name of ['Alpha', 'Beta', 'Gamma']) {
      made.push(await register(`${name.toLowerCase()}.${tag}@example.com`, { last_name: `${name}${tag}` }));
    }
    const page1 = await server.admin('GET', `/admin/v1/customers?q=${tag.toUpperCase()}&limit=2`);
    expect(page1.statusCode).toBe(200);
    expect(page1.json().data.map((c: { id: string }) => c.id)).toEqual([made[2].id, made[1].id]);
    expect(page1.json().has_more).toBe(true);
    const page2 = await server.admin(
      'GET',
      `/admin/v1/customers?q=${tag}&limit=2&cursor=${page1.json().next_cursor}`,
    );
    expect(page2.json()).toMatchObject({ has_more: false, next_cursor: null });
    expect(page2.json().data.map((c: { id: string }) => c.id)).toEqual([made[0].id]);
    const byName = await server.admin('GET', `/admin/v1/customers?q=gamma${tag}`);
    expect(byName.json().data.map((c: { id: string }) => c.id)).toEqual([made[2].id]);
    // LIKE wildcards in q are literal characters.
    expect((await server.admin('GET', '/admin/v1/customers?q=%25%25%25')).json().data).toEqual([]);
    expect((await server.admin('GET', '/admin/v1/customers?cursor=garbage')).statusCode).toBe(400);
    expect((await server.admin('GET', '/admin/v1/customers?sort=email')).statusCode).toBe(400);
  });

  it('shows one customer with addresses and groups, never the hash; unknown id is 404', async () => {
    const { customer, token } = await newCustomer();
    await server.store(
      shop.key,
      'POST',
      '/store/v1/customers/me/addresses',
      { line1: 'Rue de Rivoli 1', city: 'Paris', country: 'FR' },
      session(token),
    );
    const view = await server.admin('GET', `/admin/v1/customers/${customer.id}`);
    expect(view.statusCode).toBe(200);
    expect(view.json()).toMatchObject({ id: customer.id, group_ids: [], addresses: [{ city: 'Paris' }] });
    expect(view.body).not.toContain('argon2');
    expect((await server.admin('GET', '/admin/v1/customers/cus_00000000000000000000000000')).statusCode).toBe(
      404,
    );

    const patched = await server.admin(
      'PATCH',
      `/admin/v1/customers/${customer.id}`,
      { metadata: { crm_id: 42 } },
      { 'if-match': '1' },
    );
    expect(patched.json()).toMatchObject({ metadata: { crm_id: 42 }, version: 2 });
    const consent = await server.admin('PATCH', `/admin/v1/customers/${customer.id}`, {
      consent_marketing: true,
    });
    expect(consent.statusCode).toBe(400);
  });

  it('manages groups and membership, which signed-in requests see', async () => {
    const { customer, token } = await newCustomer();
    const created = await server.admin('POST', '/admin/v1/customer-groups', { name: unique('Wholesale') });
    expect(created.statusCode).toBe(201);
    const group = created.json();
    expect(group).toMatchObject({ member_count: 0, version: 1 });
    const dup = await server.admin('POST', '/admin/v1/customer-groups', { name: group.name.toUpperCase() });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().code).toBe('group_name_taken');

    const members = `/admin/v1/customer-groups/${group.id}/members`;
    const unknown = await server.admin('POST', members, {
      customer_ids: [customer.id, 'cus_00000000000000000000000000'],
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().errors).toEqual([{ field: '/body/customer_ids/1', message: 'is not a customer' }]);
    expect((await server.admin('GET', `/admin/v1/customer-groups/${group.id}`)).json().member_count).toBe(0);

    const added = await server.admin('POST', members, { customer_ids: [customer.id] });
    expect(added.json().member_count).toBe(1);
    expect((await server.admin('POST', members, { customer_ids: [customer.id] })).json().member_count).toBe(
      1,
    );

    const resolved = await resolveCustomerSession(server.db, token, shop.id);
    expect(resolved).toEqual({ id: customer.id, email: customer.email, groupIds: [group.id] });
    const listed = await server.admin('GET', `/admin/v1/customers?group_id=${group.id}`);
    expect(listed.json().data.map((c: { id: string }) => c.id)).toEqual([customer.id]);

    const renamed = await server.admin(
      'PATCH',
      `/admin/v1/customer-groups/${group.id}`,
      { description: 'Trade prices' },
      { 'if-match': '1' },
    );
    expect(renamed.json()).toMatchObject({ description: 'Trade prices', version: 2, member_count: 1 });

    expect((await server.admin('DELETE', `${members}/${customer.id}`)).statusCode).toBe(204);
    expect((await server.admin('DELETE', `${members}/${customer.id}`)).statusCode).toBe(404);
    expect((await resolveCustomerSession(server.db, token, shop.id))?.groupIds).toEqual([]);
    expect((await server.admin('DELETE', `/admin/v1/customer-groups/${group.id}`)).statusCode).toBe(204);
    expect((await server.admin('GET', `/admin/v1/customer-groups/${group.id}`)).statusCode).toBe(404);
  });

  it('enforces customers:read and customers:write scopes', async () => {
    const reader = await server.admin('POST', '/admin/v1/keys', {
      kind: 'secret',
      name: 'crm reader',
      scopes: ['customers:read'],
    });
    const key = reader.json().token;
    expect((await server.store(key, 'GET', '/admin/v1/customers')).statusCode).toBe(200);
    const write = await server.store(key, 'POST', '/admin/v1/customer-groups', { name: unique('Nope') });
    expect(write.statusCode).toBe(403);
    expect(write.json().code).toBe('insufficient_scope');
    const other = await server.admin('POST', '/admin/v1/keys', {
      kind: 'secret',
      name: 'catalog',
      scopes: ['catalog:read'],
    });
    expect((await server.store(other.json().token, 'GET', '/admin/v1/customers')).statusCode).toBe(403);
  });
});
