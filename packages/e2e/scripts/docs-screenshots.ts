import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { launchBrowser, newContext } from '../src/harness.js';

// Refreshes the storefront pictures in docs/img from a running shop:
//   npx tsx packages/e2e/scripts/docs-screenshots.ts http://127.0.0.1:4000
const url = process.argv[2] ?? 'http://127.0.0.1:4000';
const out = fileURLToPath(new URL('../../../docs/img/', import.meta.url));
mkdirSync(out, { recursive: true });
const browser = await launchBrowser();
try {
  const desktop = await newContext(browser, { width: 1100, height: 760 });
  const page = await desktop.newPage();
  await page.goto(url);
  await page.getByRole('list', { name: 'New arrivals' }).waitFor();
  await page.getByRole('button', { name: 'No thanks' }).click();
  await page.screenshot({ path: `${out}storefront-home.png` });

  // The cart drawer on a phone, once the "added to cart" announcement has faded.
  const phone = await newContext(browser, { width: 360, height: 740 });
  const phonePage = await phone.newPage();
  await phonePage.goto(url);
  await phonePage.getByRole('button', { name: 'No thanks' }).click();
  const handle = await phonePage
    .getByRole('list', { name: 'New arrivals' })
    .getByRole('link')
    .first()
    .getAttribute('href');
  await phonePage.goto(`${url}${handle}`);
  await phonePage.getByRole('button', { name: 'Add to cart' }).click();
  await phonePage.getByRole('dialog', { name: 'Your cart' }).waitFor();
  await phonePage.waitForTimeout(4500);
  await phonePage.screenshot({ path: `${out}storefront-live-cart.png` });
  console.log(`screenshots written to ${out}`);
} finally {
  await browser.close();
}
