import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { type AdminClient, createAdminClient } from '@merx/sdk';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { testWebhookSecret } from '../../server/src/modules/payments/registry.js';
import { TEST_WEBHOOK_SIGNATURE_HEADER } from '../../server/src/modules/payments/test-provider.js';
import { signatureHeader } from '../../server/src/modules/payments/webhook-signature.js';
import { startTestServer, type TestServer } from '../../server/test/harness.js';

export const repoRoot = resolve(import.meta.dirname, '../../..');
export const resultsDir = resolve(repoRoot, 'test-results');

export interface E2EServer {
  /** Where the API and the heads answer, e.g. http://127.0.0.1:40123 */
  url: string;
  server: TestServer;
  /** An admin SDK client with an all-scopes secret key. */
  admin: AdminClient;
  /** The demo web channel the storefront uses, with its publishable key. */
  web: { id: string; key: string };
  /** A promotion code worth 10 % that the storefront tests can enter. */
  promotionCode: string;
  /** Confirms (or fails) a 3-D Secure test payment, as the provider's signed webhook would. */
  confirmPayment(reference: string, outcome?: 'payment.authorised' | 'payment.failed'): Promise<number>;
  stop(): Promise<void>;
}

/**
 * The real server for browser tests: an in-memory PGlite (or a fresh schema in DATABASE_URL),
 * the demo catalog (a small one: the tests need variety, not volume), a region with a shipping
 * option and a promotion, listening on a random loopback port. Heads must be built first
 * (vitest's globalSetup does it).
 */
export async function startE2EServer(options: { products?: number } = {}): Promise<E2EServer> {
  const server = await startTestServer();
  const { seedDemoCatalog } = await import('../../server/src/demo/seed.js');
  const seeded = await seedDemoCatalog(server.db, { products: options.products ?? 60 });
  const webChannel = seeded.channels.find((channel) => channel.kind === 'web');
  if (!webChannel) throw new Error('the demo seed made no web channel');
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = server.app.server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const admin = createAdminClient({ baseUrl: url, secretKey: server.adminKey });

  const region = await admin.post('/admin/v1/regions', {
    body: { name: 'Europe', currency: 'EUR', countries: ['DE', 'FR', 'NL', 'AT'], tax_rate_bps: 1900 },
  });
  await admin.post('/admin/v1/shipping-options', {
    body: { region_id: region.id, name: 'Standard delivery', kind: 'flat', amount: 495 },
  });
  const promotionCode = 'WELCOME10';
  await admin.post('/admin/v1/promotions', {
    body: { name: 'Welcome', code: promotionCode, kind: 'percentage', value: 1000 },
  });

  return {
    url,
    server,
    admin,
    web: { id: webChannel.id, key: webChannel.publishableKey },
    promotionCode,
    async confirmPayment(reference, outcome = 'payment.authorised') {
      const body = JSON.stringify({ type: outcome, reference });
      const response = await fetch(`${url}/payments/test/webhook`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [TEST_WEBHOOK_SIGNATURE_HEADER]: signatureHeader(testWebhookSecret(), body),
        },
        body,
      });
      return response.status;
    },
    stop: () => server.close(),
  };
}

/** Debian's chromium, headless, with everything that would phone home switched off. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-gpu',
      '--no-first-run',
      '--disable-default-apps',
      '--disable-extensions',
      // Belt and braces with the request filter below: no host name resolves except loopback.
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
    ],
  });
}

const LOOPBACK = /^(https?|wss?):\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?\//;

/**
 * A fresh browser profile (cookies, storage) whose requests can only reach loopback: anything
 * else, such as the demo catalog's external image URLs, is aborted before it leaves.
 */
export async function newContext(
  browser: Browser,
  options: { width?: number; height?: number } = {},
): Promise<BrowserContext & { errors: string[] }> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1280, height: options.height ?? 900 },
    serviceWorkers: 'block',
  });
  await context.route(
    (url) => !LOOPBACK.test(url.href) && !url.href.startsWith('data:') && !url.href.startsWith('blob:'),
    (route) => route.abort('blockedbyclient'),
  );
  const errors: string[] = [];
  context.on('weberror', (error) => errors.push(String(error.error())));
  return Object.assign(context, { errors });
}

/** Saves a screenshot under test-results/ at the repository root (CI keeps it as an artifact). */
export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}) {
  mkdirSync(resultsDir, { recursive: true });
  const path = resolve(resultsDir, `${name}.png`);
  // A sticky header would otherwise be painted wherever the page happened to be scrolled.
  if (options.fullPage) await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path, fullPage: options.fullPage ?? false, animations: 'disabled' });
  return path;
}
