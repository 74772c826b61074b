import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2EServer, launchBrowser, newContext, screenshot, startE2EServer } from '../src/harness.js';

let shop: E2EServer;
let browser: Browser;
let productHandle: string;
/** A product with "related" recommendations (similar products: no history is needed). */
let related: { handle: string; firstTitle: string } | null = null;

beforeAll(async () => {
  [shop, browser] = await Promise.all([startE2EServer(), launchBrowser()]);
  // A product that is in stock in the web channel, found the way any head would: through the API.
  const { createStoreClient } = await import('@merx/sdk');
  const store = createStoreClient({ baseUrl: shop.url, publishableKey: shop.web.key });
  const hits = await store.get('/store/v1/search', {
    params: { query: { in_stock: true, limit: 20, sort: 'newest', facets: false } },
  });
  productHandle = hits.data[0].handle;
  for (const hit of hits.data) {
    const recommendations = await store.get('/store/v1/recommendations', {
      params: { query: { intent: 'related', product: hit.id, limit: 8 } },
    });
    if (recommendations.data.length > 0) {
      related = { handle: hit.handle, firstTitle: recommendations.data[0].title };
      break;
    }
  }
});
afterAll(async () => {
  await browser?.close();
  await shop?.stop();
});

async function addToCartFromProductPage(page: Page, handle = productHandle) {
  await page.goto(`${shop.url}/p/${handle}`);
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await page.getByRole('dialog', { name: 'Your cart' }).waitFor();
}

async function fillCheckoutDetails(page: Page, email: string) {
  await page.getByRole('dialog', { name: 'Your cart' }).getByRole('button', { name: 'Check out' }).click();
  await page.getByRole('heading', { name: 'Checkout' }).waitFor();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('First name').fill('Ada');
  await page.getByLabel('Last name').fill('Lovelace');
  await page.getByLabel('Street and number').fill('Unter den Linden 1');
  await page.getByLabel('Postal code').fill('10117');
  await page.getByLabel('City').fill('Berlin');
  await page.getByLabel('Country').selectOption('DE');
  await page.getByRole('button', { name: 'Continue to shipping' }).click();
  await page.getByRole('radio', { name: /Standard delivery/ }).waitFor();
}

async function pay(page: Page, card: RegExp) {
  await page.getByRole('radio', { name: card }).check();
  await page.getByRole('button', { name: /^Pay / }).click();
}

describe('storefront in a real browser', () => {
  it('guest purchase: home → product → cart → checkout with a promotion → confirmation', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(shop.url);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.getByRole('list', { name: 'New arrivals' }).getByRole('link').first().waitFor();
    await screenshot(page, 'storefront-home', { fullPage: true });

    await page.getByRole('list', { name: 'New arrivals' }).getByRole('link').first().click();
    await page.getByRole('button', { name: 'Add to cart' }).waitFor();
    expect(await page.getByTestId('product-price').textContent()).toMatch(/€/);
    await screenshot(page, 'storefront-product');
    if (await page.getByRole('button', { name: 'Add to cart' }).isDisabled()) {
      await page.goto(`${shop.url}/p/${productHandle}`);
    }
    await page.getByRole('button', { name: 'Add to cart' }).click();
    const drawer = page.getByRole('dialog', { name: 'Your cart' });
    await drawer.waitFor();
    expect(await page.getByTestId('cart-count').textContent()).toBe('1');
    await screenshot(page, 'storefront-cart');

    await fillCheckoutDetails(page, 'guest@example.com');
    await page.getByRole('textbox', { name: 'Promotion code' }).fill(shop.promotionCode);
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByTestId('discount').waitFor();
    await screenshot(page, 'storefront-checkout', { fullPage: true });
    await pay(page, /succeeds/);

    await page.getByRole('heading', { name: 'Thank you for your order!' }).waitFor();
    expect(await page.getByTestId('order-status').textContent()).toMatch(/Confirmed/);
    await screenshot(page, 'storefront-confirmation');
    // The cart is finished: the header shows an empty cart.
    expect(await page.getByTestId('cart-count').textContent()).toBe('0');
    expect(context.errors).toEqual([]);
    await context.close();
  });

  it('a declined card shows why and keeps the cart; another card then succeeds', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await addToCartFromProductPage(page);
    await fillCheckoutDetails(page, 'declined@example.com');
    await pay(page, /declined/);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/declined/i);
    await screenshot(page, 'storefront-declined');
    expect(await page.getByTestId('cart-count').textContent()).toBe('1');

    await pay(page, /succeeds/);
    await page.getByRole('heading', { name: 'Thank you for your order!' }).waitFor();
    await context.close();
  });

  it('3-D Secure: the order waits for the bank, and the page updates itself when it confirms', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await addToCartFromProductPage(page);
    await fillCheckoutDetails(page, 'threeds@example.com');
    await pay(page, /3-D Secure/);
    await page.getByText('Waiting for your bank').waitFor();
    const orderId = page.url().split('/orders/')[1];
    const order = await shop.admin.get('/admin/v1/orders/{id}', { params: { path: { id: orderId } } });
    const reference = order.payment?.provider_reference;
    expect(reference).toMatch(/^tpay_/);
    expect(await shop.confirmPayment(reference!)).toBe(200);
    await page.getByRole('heading', { name: 'Thank you for your order!' }).waitFor({ timeout: 15_000 });
    await context.close();
  });

  it('register, log in, buy, and find the order in the account', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    const email = `ada-${Date.now()}@example.com`;
    await page.goto(`${shop.url}/account`);
    await page.getByLabel('First name').fill('Ada');
    await page.getByLabel('Email', { exact: true }).last().fill(email);
    await page.locator('#register-password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByText(`Account created for ${email}`).waitFor();
    await page.locator('#login-password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Hello, Ada' }).waitFor();

    await addToCartFromProductPage(page);
    await page.getByRole('dialog', { name: 'Your cart' }).getByRole('button', { name: 'Check out' }).click();
    await page.getByLabel('Email').waitFor();
    expect(await page.getByLabel('Email').inputValue()).toBe(email);
    await page.getByLabel('First name').fill('Ada');
    await page.getByLabel('Last name').fill('Lovelace');
    await page.getByLabel('Street and number').fill('Rue de Rivoli 1');
    await page.getByLabel('Postal code').fill('75001');
    await page.getByLabel('City').fill('Paris');
    await page.getByLabel('Country').selectOption('FR');
    await page.getByRole('button', { name: 'Continue to shipping' }).click();
    await pay(page, /succeeds/);
    await page.getByRole('heading', { name: 'Thank you for your order!' }).waitFor();
    const number = (await page.getByTestId('order-number').textContent())!;

    await page.getByRole('link', { name: 'Hi, Ada' }).click();
    const orders = page.getByRole('table');
    await orders.getByRole('link', { name: number }).waitFor();
    await screenshot(page, 'storefront-account', { fullPage: true });
    await context.close();
  });

  it('account: save an address, consent to personalisation, export and delete my data', async () => {
    const email = `privacy-${Date.now()}@example.com`;
    const { createStoreClient } = await import('@merx/sdk');
    await createStoreClient({ baseUrl: shop.url, publishableKey: shop.web.key }).register({
      email,
      password: 'correct horse battery',
      first_name: 'Mary',
    });
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(`${shop.url}/account`);
    await page.locator('#login-email').fill(email);
    await page.locator('#login-password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Hello, Mary' }).waitFor();

    await page.getByRole('button', { name: 'Add an address' }).click();
    await page.getByLabel('First name').fill('Mary');
    await page.getByLabel('Last name').fill('Somerville');
    await page.getByLabel('Street and number').fill('Prinsengracht 263');
    await page.getByLabel('Postal code').fill('1016 GV');
    await page.getByLabel('City').fill('Amsterdam');
    await page.getByLabel('Country').selectOption('NL');
    await page.getByRole('button', { name: 'Save address' }).click();
    await page.locator('address', { hasText: 'Prinsengracht 263' }).waitFor();

    const consent = page.getByRole('checkbox', { name: /personalise recommendations/ });
    expect(await consent.isChecked()).toBe(false);
    await consent.check();
    await page.getByText('Personalisation is on.').waitFor();
    // With consent, viewing a product is recorded, and the export contains it.
    await page.goto(`${shop.url}/p/${productHandle}`);
    await page.getByRole('button', { name: 'Add to cart' }).waitFor();
    await page.goto(`${shop.url}/account`);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export my data' }).click(),
    ]);
    const exported = JSON.parse(
      await (await download.createReadStream()).toArray().then((c) => Buffer.concat(c).toString()),
    );
    expect(exported.consent_personalisation).toBe(true);
    expect(exported.interactions.some((entry: { type: string }) => entry.type === 'product_view')).toBe(true);

    page.once('dialog', (dialog) => dialog.accept());
    await page.getByRole('button', { name: 'Delete my data' }).click();
    await page.getByText('Your interaction data was deleted.').waitFor();
    const after = createStoreClient({ baseUrl: shop.url, publishableKey: shop.web.key });
    await after.login(email, 'correct horse battery');
    expect((await after.get('/store/v1/customers/me/data')).interactions).toEqual([]);

    // The checkout starts from the saved address.
    await addToCartFromProductPage(page);
    await page.getByRole('dialog', { name: 'Your cart' }).getByRole('button', { name: 'Check out' }).click();
    await page.getByLabel('Street and number').waitFor();
    await page.waitForFunction(
      () =>
        (document.getElementById('shipping-line1') as HTMLInputElement | null)?.value === 'Prinsengracht 263',
    );
    await context.close();
  });

  it('two devices of one customer: a line added on one appears in the other’s open cart drawer', async () => {
    const email = `twin-${Date.now()}@example.com`;
    const { createStoreClient } = await import('@merx/sdk');
    await createStoreClient({ baseUrl: shop.url, publishableKey: shop.web.key }).register({
      email,
      password: 'correct horse battery',
      first_name: 'Grace',
    });
    const signIn = async () => {
      const context = await newContext(browser);
      const page = await context.newPage();
      await page.goto(`${shop.url}/account`);
      await page.locator('#login-email').fill(email);
      await page.locator('#login-password').fill('correct horse battery');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Hello, Grace' }).waitFor();
      return { context, page };
    };
    const laptop = await signIn();
    const phone = await signIn();

    await phone.page.getByRole('button', { name: /^Cart/ }).click();
    const phoneDrawer = phone.page.getByRole('dialog', { name: 'Your cart' });
    await phoneDrawer.getByText('Your cart is empty.').waitFor();

    await addToCartFromProductPage(laptop.page);
    // No reload on the phone: the line arrives over the cart stream.
    await phoneDrawer
      .getByRole('list', { name: 'Cart items' })
      .getByRole('listitem')
      .first()
      .waitFor({ timeout: 10_000 });
    expect(await phone.page.getByTestId('cart-count').textContent()).toBe('1');
    await screenshot(phone.page, 'storefront-live-cart-phone');
    await laptop.context.close();
    await phone.context.close();
  });

  it('works from the keyboard: skip link, visible focus, the cart dialog traps and returns focus', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(`${shop.url}/p/${productHandle}`);
    const addButton = page.getByRole('button', { name: 'Add to cart' });
    await addButton.waitFor();

    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await page.keyboard.press('Enter');
    expect(page.url()).toMatch(/#main$/);

    await addButton.focus();
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Tab');
    const outline = await addButton.evaluate((element) => getComputedStyle(element).outlineStyle);
    expect(outline).not.toBe('none');

    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Your cart' });
    await dialog.getByRole('list', { name: 'Cart items' }).waitFor();
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Tab');
      expect(await dialog.evaluate((element) => element.contains(document.activeElement))).toBe(true);
    }
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await addButton.evaluate((element) => element === document.activeElement)).toBe(true);
    await context.close();
  });

  it('a price the merchant changes shows in the open cart drawer at once, with a notice', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await addToCartFromProductPage(page);
    const drawer = page.getByRole('dialog', { name: 'Your cart' });
    const line = drawer.getByRole('list', { name: 'Cart items' }).getByRole('listitem').first();
    await line.waitFor();
    const variantId = (await line.getAttribute('data-variant'))!;
    const before = (await page.getByTestId('cart-subtotal').textContent())!;

    // The merchant raises the EUR price through the admin API (what the dashboard does).
    const prices = await shop.admin.get('/admin/v1/variants/{id}/prices', {
      params: { path: { id: variantId } },
    });
    const price = prices.data.find((entry) => entry.currency === 'EUR' && entry.channel_id === null)!;
    await shop.admin.patch('/admin/v1/prices/{id}', {
      params: { path: { id: price.id } },
      body: { amount: price.amount + 1000 },
    });

    // No reload: the cart stream brings the new price and says what changed.
    await line.getByText(/Price changed from/).waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('cart-subtotal').textContent()).not.toBe(before);
    await screenshot(page, 'storefront-price-notice');
    await context.close();
  });

  it('a price raised after the shopper saw the total is refused at payment, shown, then paid at the new total', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    // A stalled live connection: the page keeps showing the old total until it asks again.
    await page.route(/\/store\/v1\/carts\/[^/]+\/stream/, () => {});
    await addToCartFromProductPage(page);
    const line = page
      .getByRole('dialog', { name: 'Your cart' })
      .getByRole('list', { name: 'Cart items' })
      .getByRole('listitem')
      .first();
    const variantId = (await line.getAttribute('data-variant'))!;
    await fillCheckoutDetails(page, 'raised@example.com');
    await page.getByRole('radio', { name: /succeeds/ }).check();
    const payButton = page.getByRole('button', { name: /^Pay / });
    const shown = await payButton.textContent();

    const prices = await shop.admin.get('/admin/v1/variants/{id}/prices', {
      params: { path: { id: variantId } },
    });
    const price = prices.data.find((entry) => entry.currency === 'EUR' && entry.channel_id === null)!;
    await shop.admin.patch('/admin/v1/prices/{id}', {
      params: { path: { id: price.id } },
      body: { amount: price.amount + 500 },
    });

    await payButton.click();
    await page
      .getByRole('alert')
      .filter({ hasText: /total changed/ })
      .waitFor();
    // The refusal re-read the cart: the button now names the new total.
    await expect.poll(() => payButton.textContent()).not.toBe(shown);
    await screenshot(page, 'storefront-total-changed');

    await payButton.click();
    await page.getByRole('heading', { name: 'Thank you for your order!' }).waitFor();
    await context.close();
  });

  it('category pages filter with facets and sort, keeping the choice in the URL', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(shop.url);
    await page
      .getByRole('list')
      .filter({ has: page.getByRole('link', { name: 'Apparel' }) })
      .waitFor();
    await page.getByRole('link', { name: 'Apparel', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: /apparel/i }).waitFor();
    const count = page.locator('.listing-head p');
    await count.waitFor();
    const total = Number((await count.textContent())!.match(/\d+/)![0]);

    // The narrowest option value: its count is what the filtered list must total.
    const filters = page.getByRole('complementary', { name: 'Filters' });
    const facetLabels = filters.locator('label.facet:has(input[type="checkbox"])');
    const counts = (await facetLabels.allTextContents()).map((text) =>
      Number(text.match(/\((\d+)\)\s*$/)![1]),
    );
    const narrowest = counts.indexOf(Math.min(...counts));
    const expected = counts[narrowest];
    const valueName = (await facetLabels.nth(narrowest).textContent())!.replace(/\s*\(\d+\)\s*$/, '').trim();
    const facet = facetLabels.nth(narrowest).getByRole('checkbox');
    await facet.check();
    await page.waitForURL(/[?&](option|price)=/);
    await page.waitForFunction(
      (want) => document.querySelector('.listing-head p')?.textContent?.startsWith(`${want} product`),
      expected,
    );
    expect(expected).toBeLessThan(total);

    await page.getByLabel('Sort by').selectOption('price_asc');
    await page.waitForURL(/sort=price_asc/);
    await page.waitForFunction(() => !document.querySelector('.results[aria-busy="true"]'));
    const prices = await page
      .getByRole('list', { name: /apparel/i })
      .locator('.card-price')
      .allTextContents();
    const amounts = prices.map((text) => Number(text.replace(/[^0-9.]/g, '')));
    expect(amounts).toEqual([...amounts].sort((a, b) => a - b));
    await screenshot(page, 'storefront-category', { fullPage: true });

    // Back and forward keep the filters: they live in the URL.
    await page.reload();
    expect(await page.getByLabel('Sort by').inputValue()).toBe('price_asc');
    const chosen = filters.locator('label.facet', { hasText: valueName }).getByRole('checkbox');
    expect(await chosen.isChecked()).toBe(true);
    await context.close();
  });

  it('a product page shows the recommendations the API gives for it', async () => {
    expect(related, 'no product among the newest 20 has related recommendations').not.toBeNull();
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(`${shop.url}/p/${related!.handle}`);
    const rail = page.getByRole('list', { name: 'You may also like' });
    await rail.getByRole('link').first().waitFor();
    expect(await rail.getByRole('listitem').first().textContent()).toContain(related!.firstTitle);
    await screenshot(page, 'storefront-product-recommendations', { fullPage: true });
    await context.close();
  });

  it('fits a 360 px phone screen without sideways scrolling, and search suggests as you type', async () => {
    const context = await newContext(browser, { width: 360, height: 740 });
    const page = await context.newPage();
    for (const path of ['/', `/p/${productHandle}`, '/account', '/search?q=a']) {
      await page.goto(`${shop.url}${path}`);
      await page.getByRole('heading', { level: 1 }).waitFor();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, path).toBeLessThanOrEqual(0);
    }
    await page.goto(shop.url);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await screenshot(page, 'storefront-home-360');
    const word = productHandle.split('-')[0];
    await page.getByRole('combobox', { name: 'Search products' }).fill(word.slice(0, 4));
    await page.getByRole('listbox', { name: 'Suggestions' }).getByRole('option').first().waitFor();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/(p|c)\//);
    await context.close();
  });
});
