import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('channels admin API', () => {
  it('creates, reads, updates with If-Match and deletes a channel', async () => {
    const created = await server.admin('POST', '/admin/v1/channels', {
      name: 'Voice',
      kind: 'voice',
      default_currency: 'GBP',
      currencies: ['GBP', 'EUR'],
      head_profile: 'speakable',
    });
    expect(created.statusCode).toBe(201);
    const channel = created.json();
    expect(channel.id).toMatch(/^chan_[0-9a-z]{26}$/);
    expect(channel.version).toBe(1);

    const updated = await server.admin(
      'PATCH',
      `/admin/v1/channels/${channel.id}`,
      { name: 'Alexa' },
      { 'if-match': '1' },
    );
    expect(updated.statusCode).toBe(200);
    expect(updated.json()).toMatchObject({ name: 'Alexa', version: 2 });

    const stale = await server.admin(
      'PATCH',
      `/admin/v1/channels/${channel.id}`,
      { name: 'Lost' },
      { 'if-match': '1' },
    );
    expect(stale.statusCode).toBe(409);
    expect(stale.headers['content-type']).toContain('application/problem+json');
    expect(stale.json()).toMatchObject({ code: 'version_conflict', current: { name: 'Alexa', version: 2 } });

    expect((await server.admin('DELETE', `/admin/v1/channels/${channel.id}`)).statusCode).toBe(204);
    expect((await server.admin('GET', `/admin/v1/channels/${channel.id}`)).statusCode).toBe(404);
  });

  it('rejects unknown fields and a default currency outside the list, changing nothing', async () => {
    const before = (await server.admin('GET', '/admin/v1/channels')).json().data.length;
    const unknown = await server.admin('POST', '/admin/v1/channels', {
      name: 'X',
      kind: 'web',
      default_currency: 'EUR',
      price_override: 1,
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors).toContainEqual({
      field: '/body/price_override',
      message: 'is not a known field',
    });
    const mismatch = await server.admin('POST', '/admin/v1/channels', {
      name: 'X',
      kind: 'web',
      default_currency: 'EUR',
      currencies: ['USD'],
    });
    expect(mismatch.statusCode).toBe(422);
    expect(mismatch.json().errors[0].field).toBe('/body/default_currency');
    expect((await server.admin('GET', '/admin/v1/channels')).json().data.length).toBe(before);
  });
});

describe('keys', () => {
  it('keeps store and admin surfaces apart', async () => {
    const channel = await server.newChannel({ name: 'Web' });
    const storeWithPk = await server.store(channel.key, 'GET', '/store/v1/channel');
    expect(storeWithPk.statusCode).toBe(200);
    expect(storeWithPk.json().id).toBe(channel.id);

    const adminWithPk = await server.store(channel.key, 'GET', '/admin/v1/channels');
    expect(adminWithPk.statusCode).toBe(403);
    expect(adminWithPk.json().code).toBe('wrong_key_kind');
    const storeWithSk = await server.admin('GET', '/store/v1/channel');
    expect(storeWithSk.statusCode).toBe(403);
    const noKey = await server.app.inject({ method: 'GET', url: '/store/v1/channel' });
    expect(noKey.statusCode).toBe(401);
    const bogus = await server.store('pk_bogus', 'GET', '/store/v1/channel');
    expect(bogus.statusCode).toBe(401);
  });

  it('limits a secret key to its scopes and reveals its token once', async () => {
    const created = await server.admin('POST', '/admin/v1/keys', {
      kind: 'secret',
      name: 'catalog reader',
      scopes: ['catalog:read'],
    });
    expect(created.statusCode).toBe(201);
    const { token, id } = created.json();
    expect(token).toMatch(/^sk_/);
    const listed = (await server.admin('GET', '/admin/v1/keys'))
      .json()
      .data.find((k: { id: string }) => k.id === id);
    expect(listed.token).toBeUndefined();
    const denied = await server.store(token, 'GET', '/admin/v1/channels');
    expect(denied.statusCode).toBe(403);
    expect(denied.json().code).toBe('insufficient_scope');

    expect((await server.admin('DELETE', `/admin/v1/keys/${id}`)).statusCode).toBe(200);
    expect((await server.store(token, 'GET', '/admin/v1/channels')).statusCode).toBe(401);
  });
});

describe('idempotency', () => {
  it('replays the first response for a retried POST and refuses the key with another body', async () => {
    const body = { name: 'Once', kind: 'web', default_currency: 'EUR' };
    const headers = { 'idempotency-key': 'abc-123' };
    const first = await server.admin('POST', '/admin/v1/channels', body, headers);
    const retry = await server.admin('POST', '/admin/v1/channels', body, headers);
    expect(retry.statusCode).toBe(201);
    expect(retry.json().id).toBe(first.json().id);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    const other = await server.admin('POST', '/admin/v1/channels', { ...body, name: 'Twice' }, headers);
    expect(other.statusCode).toBe(422);
    expect(other.json().code).toBe('idempotency_key_reused');
  });

  it('answers malformed JSON with a problem, not a 500', async () => {
    const response = await server.app.inject({
      method: 'POST',
      url: '/admin/v1/channels',
      headers: { authorization: `Bearer ${server.adminKey}`, 'content-type': 'application/json' },
      payload: '{"name": ',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('malformed_json');
  });
});
