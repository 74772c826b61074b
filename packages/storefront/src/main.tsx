import { createStoreClient } from '@merx/sdk';
import { render } from 'preact';
import { App } from './app.js';
import { Shop, type StorefrontConfig } from './shop.js';
import './styles.css';

const root = document.getElementById('app')!;

async function boot() {
  // The publishable key is the server's to give: one build serves any shop.
  const config = (await (await fetch('/storefront-config.json')).json()) as StorefrontConfig;
  if (!config.publishable_key) {
    root.innerHTML = '<p class="boot">This shop has no web channel yet.</p>';
    return;
  }
  const probe = createStoreClient({ baseUrl: config.api_base_url, publishableKey: config.publishable_key });
  const channel = await probe.get('/store/v1/channel');
  const shop = new Shop({ ...config, publishable_key: config.publishable_key }, channel);
  await shop.start();
  root.textContent = '';
  render(<App shop={shop} />, root);
}

boot().catch((error) => {
  console.error(error);
  root.innerHTML = '<p class="boot" role="alert">The store could not load. Please reload the page.</p>';
});
