import { fileURLToPath } from 'node:url';
import { buildHead } from '../../tools/build-head.js';

const icon =
  "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E%3Crect width='16' height='16' rx='3' fill='%23155e75'/%3E%3C/svg%3E";

await buildHead({
  label: 'storefront',
  dir: fileURLToPath(new URL('.', import.meta.url)),
  entryName: 'app',
  mountPath: '/',
  headLines: [
    '<meta name="description" content="Merx reference storefront">',
    '<title>Merx Store</title>',
    `<link rel="icon" href="${icon}">`,
  ],
  bootHtml: '<p class="boot">Loading the store…</p>',
});
