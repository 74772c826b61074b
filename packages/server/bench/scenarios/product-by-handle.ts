import { rotate, type Scenario } from './types.js';

interface Page {
  data: Array<{ handle: string }>;
  next_cursor: string | null;
}

export const productByHandle: Scenario = {
  name: 'product-by-handle',
  description:
    'GET /store/v1/products/{handle}: one product with variants, prices and availability, 500 handles',
  async prepare(target) {
    const handles: string[] = [];
    let cursor: string | null = null;
    while (handles.length < 500) {
      const page: Page = await target.store<Page>(
        `/store/v1/products?limit=100&sort=title${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      handles.push(...page.data.map((product) => product.handle));
      cursor = page.next_cursor;
      if (!cursor) break;
    }
    return { requests: rotate(handles.map((handle) => `/store/v1/products/${handle}`)) };
  },
};
