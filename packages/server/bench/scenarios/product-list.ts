import { rotate, type Scenario } from './types.js';

interface Page {
  data: Array<{ handle: string; variants: Array<{ price: unknown }> }>;
  next_cursor: string | null;
}

/** How many distinct pages the run cycles through (walked once before the clock starts). */
const PAGES = 25;

export const productList: Scenario = {
  name: 'product-list',
  description:
    'GET /store/v1/products?limit=20: a page of 20 with variants and prices, cycling the first 25 pages',
  async prepare(target) {
    const paths: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < PAGES; i++) {
      const path: string = `/store/v1/products?limit=20${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page = await target.store<Page>(path);
      if (i === 0 && !page.data.some((product) => product.variants.some((variant) => variant.price !== null)))
        throw new Error('the first page has no priced variants: is the catalog seeded?');
      paths.push(path);
      cursor = page.next_cursor;
      if (!cursor) break;
    }
    return { requests: rotate(paths) };
  },
};
