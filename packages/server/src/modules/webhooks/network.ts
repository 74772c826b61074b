import { lookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { MerxConfig } from '../../config.js';
import { invalid } from '../../http/problem.js';
import { classifyAddress, mayConnect } from './ssrf.js';

export type Resolver = (hostname: string) => Promise<Array<{ address: string; family: number }>>;

export interface WebhookNetwork {
  /** DNS lookup; tests replace it so no real name is ever resolved. */
  resolve: Resolver;
  allowLoopback: boolean;
  timeoutMs: number;
}

declare module 'fastify' {
  interface FastifyInstance {
    webhookNetwork: WebhookNetwork;
  }
}

export const systemResolver: Resolver = (hostname) => lookup(hostname, { all: true, verbatim: true });

export function registerWebhookNetwork(app: FastifyInstance, config: MerxConfig): void {
  app.decorate('webhookNetwork', {
    resolve: systemResolver,
    allowLoopback: config.webhookAllowLoopback,
    timeoutMs: config.webhookTimeoutMs,
  });
}

/** A URL that passed the checks, with the one address Merx will connect to. */
export interface PinnedTarget {
  url: URL;
  address: string;
  family: 4 | 6;
}

export class RefusedTarget extends Error {}

/**
 * Resolves the host and refuses loopback, private, link-local, metadata and other
 * non-public addresses (in any spelling: IPv4-mapped IPv6, NAT64, 6to4, decimal…) before
 * any connection. Every resolved address must pass, and the caller connects to the
 * returned one, so DNS cannot answer differently between this check and the request.
 */
export async function pinTarget(
  rawUrl: string,
  network: Pick<WebhookNetwork, 'resolve' | 'allowLoopback'>,
): Promise<PinnedTarget> {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new RefusedTarget('is not a valid URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new RefusedTarget('must be http or https');
  if (url.username || url.password) throw new RefusedTarget('must not contain credentials');
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  let addresses: Array<{ address: string; family: number }>;
  if (isIP(host)) {
    addresses = [{ address: host, family: isIP(host) }];
  } else {
    try {
      addresses = await network.resolve(host);
    } catch {
      throw new RefusedTarget(`host ${host} does not resolve`);
    }
    if (addresses.length === 0) throw new RefusedTarget(`host ${host} does not resolve`);
  }
  for (const { address } of addresses) {
    if (!mayConnect(address, network.allowLoopback)) {
      throw new RefusedTarget(
        `resolves to ${address}, a ${classifyAddress(address).replace('_', '-')} address`,
      );
    }
  }
  const [first] = addresses;
  return { url, address: first.address, family: first.family === 6 ? 6 : 4 };
}

/** The admin-facing check (endpoint create/update): a refused URL is a 422 and nothing changes. */
export async function assertDeliverableUrl(url: string, network: WebhookNetwork): Promise<void> {
  try {
    await pinTarget(url, network);
  } catch (error) {
    if (!(error instanceof RefusedTarget)) throw error;
    throw invalid(
      `Webhook URL refused: it ${error.message}`,
      [{ field: '/body/url', message: error.message }],
      'webhook_url_refused',
    );
  }
}

export interface PostResult {
  statusCode: number;
  durationMs: number;
}

/** POSTs to the pinned address (Host header and TLS name stay the URL's host). Never follows redirects. */
export function postPinned(
  target: PinnedTarget,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<PostResult> {
  const started = performance.now();
  const client = target.url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(
      target.url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        timeout: timeoutMs,
        agent: false,
        lookup: (_hostname, options, callback) => {
          const pinned = { address: target.address, family: target.family };
          if ((options as { all?: boolean }).all)
            (callback as (e: null, a: (typeof pinned)[]) => void)(null, [pinned]);
          else callback(null, pinned.address, pinned.family);
        },
      },
      (response) => {
        response.resume();
        response.on('end', () =>
          resolve({ statusCode: response.statusCode ?? 0, durationMs: performance.now() - started }),
        );
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error(`no response within ${timeoutMs} ms`)));
    request.on('error', reject);
    request.end(body);
  });
}
