import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness.js';
import { pinTarget, RefusedTarget, type Resolver } from './network.js';
import { classifyAddress, ipv6Bytes, mayConnect } from './ssrf.js';

describe('classifyAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['::1', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.100.100.200', 'private'],
    ['fc00::1', 'private'],
    ['fd00:ec2::254', 'private'],
    ['169.254.169.254', 'metadata'],
    ['169.254.1.1', 'link_local'],
    ['fe80::1', 'link_local'],
    ['fe80::1%eth0', 'link_local'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:a9fe:a9fe', 'metadata'],
    ['::ffff:10.1.2.3', 'private'],
    ['::127.0.0.1', 'loopback'],
    ['64:ff9b::a9fe:a9fe', 'metadata'],
    ['2002:7f00:1::', 'loopback'],
    ['2001:db8::1', 'reserved'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['172.32.0.1', 'public'],
    ['93.184.216.34', 'public'],
    ['2606:4700::6810:84e5', 'public'],
  ])('%s is %s', (address, expected) => {
    expect(classifyAddress(address)).toBe(expected);
  });

  const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((octets) => octets.join('.'));

  it('classifies an IPv4 address and its IPv4-mapped IPv6 forms alike', () => {
    fc.assert(
      fc.property(ipv4, (address) => {
        const [a, b, c, d] = address.split('.').map(Number);
        const hex = `::ffff:${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
        expect(classifyAddress(`::ffff:${address}`)).toBe(classifyAddress(address));
        expect(classifyAddress(hex)).toBe(classifyAddress(address));
      }),
    );
  });

  it('never lets a private, loopback or link-local IPv4 address through, with or without loopback allowed', () => {
    const internal = fc.oneof(
      fc.tuple(fc.constant(10), fc.nat(255), fc.nat(255), fc.nat(255)),
      fc.tuple(fc.constant(172), fc.integer({ min: 16, max: 31 }), fc.nat(255), fc.nat(255)),
      fc.tuple(fc.constant(192), fc.constant(168), fc.nat(255), fc.nat(255)),
      fc.tuple(fc.constant(169), fc.constant(254), fc.nat(255), fc.nat(255)),
      fc.tuple(fc.constant(0), fc.nat(255), fc.nat(255), fc.nat(255)),
    );
    fc.assert(
      fc.property(internal, fc.boolean(), (octets, allowLoopback) => {
        expect(mayConnect(octets.join('.'), allowLoopback)).toBe(false);
        expect(mayConnect(`::ffff:${octets.join('.')}`, allowLoopback)).toBe(false);
      }),
    );
  });

  it('expands IPv6 text into 16 bytes', () => {
    expect(ipv6Bytes('::1')).toEqual([...new Array(15).fill(0), 1]);
    expect(ipv6Bytes('fe80::1:2')).toEqual([0xfe, 0x80, ...new Array(10).fill(0), 0, 1, 0, 2]);
    expect(ipv6Bytes('::ffff:1.2.3.4').slice(10)).toEqual([0xff, 0xff, 1, 2, 3, 4]);
  });
});

describe('pinTarget', () => {
  const resolverFor =
    (answers: Record<string, string[]>): Resolver =>
    async (hostname) =>
      (answers[hostname] ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  const resolve = resolverFor({
    'loopback.test': ['127.0.0.1'],
    'private.test': ['10.0.0.1'],
    'metadata.test': ['169.254.169.254'],
    'v6loop.test': ['::1'],
    'mixed.test': ['93.184.216.34', '10.0.0.1'],
    'public.test': ['93.184.216.34'],
  });

  it.each([
    'http://127.0.0.1/hook',
    'http://10.0.0.1/hook',
    'http://169.254.169.254/latest/meta-data/',
    'http://[::1]/hook',
    'http://[::ffff:127.0.0.1]/hook',
    'http://0.0.0.0/hook',
    'http://2130706433/hook',
    'http://0x7f.1/hook',
    'http://loopback.test/hook',
    'http://private.test/hook',
    'http://metadata.test/hook',
    'http://v6loop.test/hook',
    'http://mixed.test/hook',
    'http://unknown.test/hook',
    'http://user:pass@public.test/hook',
    'file:///etc/passwd',
  ])('refuses %s', async (url) => {
    await expect(pinTarget(url, { resolve, allowLoopback: false })).rejects.toBeInstanceOf(RefusedTarget);
  });

  it('allows loopback only when configured, and never private ranges', async () => {
    const options = { resolve, allowLoopback: true };
    await expect(pinTarget('http://127.0.0.1:9/hook', options)).resolves.toMatchObject({
      address: '127.0.0.1',
    });
    await expect(pinTarget('http://[::1]:9/hook', options)).resolves.toMatchObject({
      address: '::1',
      family: 6,
    });
    await expect(pinTarget('http://loopback.test/hook', options)).resolves.toMatchObject({
      address: '127.0.0.1',
    });
    await expect(pinTarget('http://private.test/hook', options)).rejects.toThrow(
      'resolves to 10.0.0.1, a private address',
    );
    await expect(pinTarget('http://metadata.test/hook', options)).rejects.toThrow('a metadata address');
  });

  it('pins the public address it checked', async () => {
    const pinned = await pinTarget('https://public.test/hook', { resolve, allowLoopback: false });
    expect(pinned).toMatchObject({ address: '93.184.216.34', family: 4 });
    expect(pinned.url.hostname).toBe('public.test');
  });
});

describe('POST /admin/v1/webhooks without loopback allowed', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ webhookAllowLoopback: false });
    server.app.webhookNetwork.resolve = async (hostname) =>
      hostname === 'sneaky.test' ? [{ address: '169.254.169.254', family: 4 }] : [];
  });
  afterAll(() => server.close());

  it.each([
    ['http://127.0.0.1:8080/hook', 'loopback'],
    ['http://10.0.0.1/hook', 'private'],
    ['http://169.254.169.254/latest', 'metadata'],
    ['http://[::1]/hook', 'loopback'],
    ['http://sneaky.test/hook', 'metadata'],
  ])('refuses %s (%s) with 422 before any connection and stores nothing', async (url, kind) => {
    const response = await server.admin('POST', '/admin/v1/webhooks', { url, event_types: ['*'] });
    expect(response.statusCode).toBe(422);
    expect(response.json()).toMatchObject({ code: 'webhook_url_refused', errors: [{ field: '/body/url' }] });
    expect(response.json().detail).toContain(`a ${kind.replace('_', '-')} address`);
    expect((await server.admin('GET', '/admin/v1/webhooks')).json().data).toEqual([]);
  });
});
