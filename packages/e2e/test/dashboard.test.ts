import { randomBytes } from 'node:crypto';
import { createAdminClient, createStoreClient, isMerxError } from '@merx/sdk';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2EServer, launchBrowser, newContext, screenshot, startE2EServer } from '../src/harness.js';

let shop: E2EServer;
let browser: Browser;
let product: { id: string; handle: string; sku: string; priceId: string };
const staff = {
  owner: { email: 'owner@dashboard.test', password: 'owner password 1', name: 'Olivia Owner' },
  support: { email: 'support@dashboard.test', password: 'support password 1', name: 'Sam Support' },
};

/**
 * Some shop history for the home charts: consented product views, and orders through the store
 * API. Orders can only be placed "now", so the fixture then spreads their placement over the
 * last days (history the API cannot create; the analytics read `placed_at`).
 */
async function shopHistory(variantIds: string[]) {
  const store = createStoreClient({ baseUrl: shop.url, publishableKey: shop.web.key });
  const products = await store.get('/store/v1/search', {
    params: { query: { in_stock: true, limit: 6, sort: 'newest', facets: false } },
  });
  await store.post('/store/v1/events', {
    body: {
      visitor_id: `dashboard-e2e-${randomBytes(6).toString('hex')}`,
      consent: true,
      events: products.data.flatMap((hit, index) =>
        Array.from({ length: 8 - index }, () => ({ type: 'product_view' as const, product_id: hit.id })),
      ),
    },
  });
  const demoVariants: string[] = [];
  for (const hit of products.data) {
    const product = await store.get('/store/v1/products/{idOrHandle}', {
      params: { path: { idOrHandle: hit.id } },
    });
    const variant = product.variants.find((entry) => (entry.availability?.available ?? 1) > 2);
    if (variant) demoVariants.push(variant.id);
  }
  const orderIds: string[] = [];
  for (const [index, variantId] of [...variantIds, ...demoVariants].entries()) {
    const cart = await store.post('/store/v1/carts', {
      body: {
        email: `buyer${index}@example.com`,
        lines: [{ variant_id: variantId, quantity: (index % 3) + 1 }],
      },
    });
    const placed = await store.post('/store/v1/carts/{id}/checkout', {
      params: { path: { id: cart.id } },
      body: { payment: { provider: 'test', token: 'tok_visa' } },
    });
    orderIds.push(placed.order.id);
  }
  for (const [index, id] of orderIds.entries())
    await shop.server.db
      .updateTable('orders')
      .set({ placed_at: new Date(Date.now() - (index % 9) * 86_400_000) })
      .where('id', '=', id)
      .execute();
  return orderIds.length;
}

let ordersPlaced = 0;

beforeAll(async () => {
  [shop, browser] = await Promise.all([startE2EServer(), launchBrowser()]);
  for (const [role, account] of Object.entries(staff))
    await shop.admin.post('/admin/v1/staff', { body: { ...account, role: role as 'owner' | 'support' } });
  // One product with one EUR price in the web channel: the price the storefront shows is the one edited.
  const suffix = randomBytes(3).toString('hex');
  const created = await shop.admin.post('/admin/v1/products', {
    body: {
      handle: `trail-runner-${suffix}`,
      title: `Trail Runner ${suffix}`,
      status: 'published',
      description: 'A light trail running shoe.',
      channel_ids: [shop.web.id],
      options: [{ name: 'Size', values: ['42'] }],
      variants: [
        { sku: `TRAIL-${suffix}-42`, options: { Size: '42' }, prices: [{ currency: 'EUR', amount: 8900 }] },
      ],
    },
  });
  const variant = created.variants[0];
  product = { id: created.id, handle: created.handle, sku: variant.sku, priceId: variant.prices[0].id };
  const locations = await shop.admin.get('/admin/v1/stock-locations', { params: { query: { limit: 10 } } });
  await shop.admin.put('/admin/v1/inventory/variants/{variant_id}/levels/{location_id}', {
    params: { path: { variant_id: variant.id, location_id: locations.data[0].id } },
    body: { on_hand: 50 },
  });
  ordersPlaced = await shopHistory([variant.id, variant.id, variant.id]);
});
afterAll(async () => {
  await browser?.close();
  await shop?.stop();
});

async function logIn(page: Page, account: { email: string; password: string }) {
  await page.goto(`${shop.url}/admin`);
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Dashboard' }).waitFor();
}

describe('merchant dashboard in a real browser', () => {
  it('is served at /admin without shadowing the admin API', async () => {
    const html = await fetch(`${shop.url}/admin`, { headers: { accept: 'text/html' } });
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toContain('text/html');
    expect(await html.text()).toContain('/admin/assets/dashboard-');
    const api = await fetch(`${shop.url}/admin/v1/no-such-route`, { headers: { accept: 'text/html' } });
    expect(api.status).toBe(404);
    expect(api.headers.get('content-type')).toContain('application/problem+json');
  });

  it('an owner logs in, sees the charts, edits a price, and the storefront shows it', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await logIn(page, staff.owner);
    await page.getByRole('heading', { name: 'Orders and revenue per day' }).waitFor();
    await page.getByRole('img', { name: new RegExp(`^${ordersPlaced} orders over 30 days`) }).waitFor();
    await expect(page.getByRole('region', { name: 'Totals' }).textContent()).resolves.toContain('€');
    await screenshot(page, 'dashboard-home');

    await page.getByRole('link', { name: 'Products' }).click();
    await page.getByLabel('Search title or handle').fill(product.handle);
    await page.getByRole('link', { name: /^Trail Runner/ }).click();
    const variant = page.getByRole('group', { name: `Variant ${product.sku}` });
    const price = variant.getByRole('textbox', { name: 'Price EUR · all channels' });
    await expect(price.inputValue()).resolves.toBe('89.00');
    await screenshot(page, 'dashboard-product-editor', { fullPage: true });

    await price.fill('74.50');
    await variant.getByRole('button', { name: 'Save price' }).click();
    await variant.getByRole('status').filter({ hasText: 'Price saved' }).waitFor();
    const saved = await shop.admin.get('/admin/v1/prices/{id}', {
      params: { path: { id: product.priceId } },
    });
    expect(saved.amount).toBe(7450);

    const storefront = await context.newPage();
    await storefront.goto(`${shop.url}/p/${product.handle}`);
    await storefront.getByTestId('product-price').filter({ hasText: '€74.50' }).waitFor();
    expect(context.errors).toEqual([]);
    await context.close();
  });

  it('imports a JSON Lines file in chunks with a progress bar and reports refused rows by file line', async () => {
    const suffix = randomBytes(3).toString('hex');
    const lines = Array.from({ length: 60 }, (_, index) =>
      JSON.stringify({
        handle: `imported-${suffix}-${index}`,
        title: `Imported ${index}`,
        status: 'draft',
        variants: [{ sku: `IMP-${suffix}-${index}`, prices: [{ currency: 'EUR', amount: 1000 + index }] }],
      }),
    );
    lines[54] = JSON.stringify({ handle: 'Not A Handle!', title: 'Broken' });
    lines.splice(30, 0, ''); // a blank line: the broken record is now line 56 of the file
    const context = await newContext(browser);
    const page = await context.newPage();
    await logIn(page, staff.owner);
    await page.getByRole('link', { name: 'Import' }).click();
    await page.getByLabel('Import file').setInputFiles({
      name: 'catalog.jsonl',
      mimeType: 'application/x-ndjson',
      buffer: Buffer.from(lines.join('\n')),
    });
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByRole('heading', { name: 'Import finished' }).waitFor();
    expect(await page.getByRole('progressbar').getAttribute('value')).toBe('60');
    await page.getByText('59 created · 0 updated · 1 failed').waitFor();
    const refused = page.getByRole('table', { name: 'Rows that were not imported' }).getByRole('row');
    await expect(refused.nth(1).getByRole('cell').first().textContent()).resolves.toBe('56');
    await screenshot(page, 'dashboard-import');
    const imported = await shop.admin.get('/admin/v1/products', {
      params: { query: { limit: 5, q: `imported-${suffix}` } },
    });
    expect(imported.data.length).toBe(5);
    await context.close();
  });

  it('fulfils an order with a tracking number from the order page', async () => {
    const [order] = (
      await shop.admin.get('/admin/v1/orders', { params: { query: { limit: 1, status: 'paid' } } })
    ).data;
    const context = await newContext(browser);
    const page = await context.newPage();
    await logIn(page, staff.owner);
    await page.goto(`${shop.url}/admin/#/orders/${order.id}`);
    await page.getByRole('heading', { name: `Order #${order.number}` }).waitFor();
    await page.getByLabel('Carrier').fill('DHL');
    await page.getByLabel('Tracking number').fill('JD0146000038');
    await page.getByRole('button', { name: 'Fulfil remaining items' }).click();
    await page.getByRole('status').filter({ hasText: 'Fulfilment recorded' }).waitFor();
    const after = await shop.admin.get('/admin/v1/orders/{id}', { params: { path: { id: order.id } } });
    expect(after.status).toBe('fulfilled');
    expect(after.fulfilments[0]).toMatchObject({ carrier: 'DHL', tracking_number: 'JD0146000038' });
    await context.close();
  });

  it('refunds part of an order from the order page, and refuses more than is left', async () => {
    const paid = (
      await shop.admin.get('/admin/v1/orders', { params: { query: { limit: 5, status: 'paid' } } })
    ).data;
    const order = paid.at(-1);
    if (!order) throw new Error('no paid order to refund');
    const context = await newContext(browser);
    const page = await context.newPage();
    await logIn(page, staff.owner);
    await page.goto(`${shop.url}/admin/#/orders/${order.id}`);
    await page.getByRole('heading', { name: `Order #${order.number}` }).waitFor();
    const refundForm = page.getByRole('form', { name: 'Refund' });
    await refundForm.getByLabel(/Refund amount/).fill('1.00');
    await refundForm.getByLabel('Reason').fill('scratched box');
    await refundForm.getByRole('button', { name: 'Refund' }).click();
    await page.getByRole('status').filter({ hasText: 'Refund issued' }).waitFor();
    const after = await shop.admin.get('/admin/v1/orders/{id}', { params: { path: { id: order.id } } });
    expect(after).toMatchObject({ status: 'partially_refunded', refunded_amount: 100 });

    const tooMuch = ((order.captured_amount - 100 + 1) / 100).toFixed(2);
    await refundForm.getByLabel(/Refund amount/).fill(tooMuch);
    await refundForm.getByRole('button', { name: 'Refund' }).click();
    await page.getByRole('alert').filter({ hasText: 'exceeds the' }).waitFor();
    const unchanged = await shop.admin.get('/admin/v1/orders/{id}', { params: { path: { id: order.id } } });
    expect(unchanged.refunded_amount).toBe(100);
    await screenshot(page, 'dashboard-order-refund');
    await context.close();
  });

  it('a support-role staff member cannot open the product editor nor call the product API', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await logIn(page, staff.support);
    const nav = page.getByRole('navigation', { name: 'Dashboard' });
    await expect(nav.getByRole('link', { name: 'Orders' }).count()).resolves.toBe(1);
    await expect(nav.getByRole('link', { name: 'Products' }).count()).resolves.toBe(0);

    await page.goto(`${shop.url}/admin/#/products/${product.id}`);
    await page.getByRole('heading', { name: 'Not available to your role' }).waitFor();
    await expect(page.getByLabel('Price EUR · all channels').count()).resolves.toBe(0);

    // The API refuses on its own, whatever the UI shows: the same session token, straight to the API.
    const token = await page.evaluate(
      () => JSON.parse(sessionStorage.getItem('merx.admin.session') ?? '{}').token,
    );
    const asSupport = createAdminClient({ baseUrl: shop.url, staffToken: token });
    const refused = await asSupport
      .get('/admin/v1/products/{id}', { params: { path: { id: product.id } } })
      .catch((error) => error);
    expect(isMerxError(refused, 'insufficient_scope')).toBe(true);
    expect(refused.status).toBe(403);
    const write = await asSupport
      .patch('/admin/v1/prices/{id}', { params: { path: { id: product.priceId } }, body: { amount: 1 } })
      .catch((error) => error);
    expect(write.status).toBe(403);
    // Support's own work still goes through.
    const orders = await asSupport.get('/admin/v1/orders', { params: { query: { limit: 5 } } });
    expect(orders.data.length).toBeGreaterThan(0);
    await context.close();
  });
});
