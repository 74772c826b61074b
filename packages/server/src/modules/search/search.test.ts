import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, unique } from '../../../test/harness.js';
import { releaseReservations, reserve } from '../inventory/reservations.js';
import { provideAffinities } from './affinities.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

interface Hit {
  id: string;
  title: string;
  score: number;
  in_stock: boolean;
  price_range: { currency: string; min: number; max: number } | null;
}

interface Shop {
  channel: { id: string; key: string };
  categories: { apparel: string; tees: string; footwear: string; running: string };
  ids: Record<string, string>;
}

async function createCategory(name: string, parentId?: string): Promise<{ id: string; handle: string }> {
  const response = await server.admin('POST', '/admin/v1/categories', {
    handle: unique(name.toLowerCase().replace(/[^a-z]+/g, '-')),
    name,
    ...(parentId ? { parent_id: parentId } : {}),
  });
  expect(response.statusCode).toBe(201);
  return response.json();
}

async function createProduct(body: Record<string, unknown>): Promise<string> {
  const response = await server.admin('POST', '/admin/v1/products', {
    handle: unique('p'),
    status: 'published',
    ...body,
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().id;
}

/** Variants with a Size (and optionally Colour) option, each with one EUR price. */
function variants(sizes: string[], amount: number, colours: string[] = []) {
  const sku = unique('SKU').toUpperCase();
  const combos = colours.length
    ? sizes.flatMap((s) => colours.map((c) => ({ Size: s, Colour: c })))
    : sizes.map((s) => ({ Size: s }));
  return {
    options: [
      { name: 'Size', values: sizes },
      ...(colours.length ? [{ name: 'Colour', values: colours }] : []),
    ],
    variants: combos.map((options, index) => ({
      sku: `${sku}-${index}`,
      options,
      prices: [{ currency: 'EUR', amount: amount + index * 100 }],
    })),
  };
}

/** A small shop in a fresh channel, plus a second channel holding a look-alike. */
async function buildShop(): Promise<Shop & { other: { id: string; key: string }; summer: string }> {
  const channel = await server.newChannel();
  const other = await server.newChannel();
  const apparel = await createCategory('Apparel');
  const tees = await createCategory('T-Shirts', apparel.id);
  const footwear = await createCategory('Footwear');
  const running = await createCategory('Running shoes', footwear.id);
  const summer = await server.admin('POST', '/admin/v1/collections', {
    handle: unique('summer'),
    title: 'Summer',
  });
  expect(summer.statusCode).toBe(201);
  const inChannel = { channel_ids: [channel.id] };
  const inSummer = { collection_ids: [summer.json().id] };
  const ids = {
    classic: await createProduct({
      title: 'Classic T-Shirt',
      description: 'Soft organic cotton crew neck.',
      category_ids: [tees.id],
      attributes: { brand: 'Loomwell' },
      ...variants(['S', 'M', 'L'], 1500, ['Red', 'Blue']),
      ...inChannel,
      ...inSummer,
    }),
    graphic: await createProduct({
      title: 'Graphic T-Shirt',
      description: 'Printed front, relaxed fit.',
      category_ids: [tees.id],
      attributes: { brand: 'Printhaus' },
      ...variants(['M', 'L'], 2600, ['Black']),
      ...inChannel,
    }),
    trail: await createProduct({
      title: 'Trail Running Shoes',
      description: 'Grippy outsole for muddy paths.',
      category_ids: [running.id],
      attributes: { brand: 'Stridewell' },
      ...variants(['42', '43'], 8900),
      ...inChannel,
    }),
    road: await createProduct({
      title: 'Road runner',
      description: 'Light daily trainer.',
      category_ids: [running.id],
      attributes: { brand: 'Acme' },
      ...variants(['42'], 12000),
      ...inChannel,
    }),
    socks: await createProduct({
      title: 'Wool socks',
      description: 'Warm merino socks, great under running shoes.',
      category_ids: [apparel.id],
      ...variants(['M'], 900),
      ...inChannel,
      ...inSummer,
    }),
    draft: await createProduct({
      title: 'Unreleased T-Shirt',
      status: 'draft',
      category_ids: [tees.id],
      ...variants(['M'], 1000),
      ...inChannel,
    }),
    elsewhere: await createProduct({
      title: 'Elsewhere T-Shirt',
      category_ids: [tees.id],
      ...variants(['M'], 1000),
      channel_ids: [other.id],
    }),
  };
  return {
    channel,
    other,
    summer: summer.json().id as string,
    categories: { apparel: apparel.id, tees: tees.id, footwear: footwear.id, running: running.id },
    ids,
  };
}

async function search(key: string, query: string) {
  const response = await server.store(key, 'GET', `/store/v1/search?${query}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as {
    data: Hit[];
    total: number;
    has_more: boolean;
    next_cursor: string | null;
    corrections: Array<{ token: string; corrected_to: string[] }>;
    facets: {
      categories: Array<{ id: string; name: string; count: number }>;
      collections: Array<{ id: string; handle: string; title: string; count: number }>;
      options: Array<{ name: string; values: Array<{ value: string; count: number }> }>;
      price: Array<{ min: number; max: number | null; count: number }>;
      in_stock: { true: number; false: number };
    };
  };
}

const titles = (hits: Hit[]) => hits.map((hit) => hit.title).sort();

let shop: Awaited<ReturnType<typeof buildShop>>;
beforeAll(async () => {
  shop = await buildShop();
});

describe('GET /store/v1/search: matching', () => {
  it('tolerates typos and spellings of T-shirt', async () => {
    for (const q of ['tshirt', 't-shrit', 'T-Shirt', 't shirt', 'tshirts', 'TSHRIT']) {
      const result = await search(shop.channel.key, `q=${encodeURIComponent(q)}`);
      expect(titles(result.data), q).toEqual(['Classic T-Shirt', 'Graphic T-Shirt']);
    }
    const corrected = await search(shop.channel.key, 'q=t-shrit');
    expect(corrected.corrections).toEqual([{ token: 'tshrit', corrected_to: ['tshirt'] }]);
  });

  it('matches prefixes, SKU-free words from categories, brands and descriptions, every word required', async () => {
    expect(titles((await search(shop.channel.key, 'q=runn')).data)).toEqual([
      'Road runner',
      'Trail Running Shoes',
      'Wool socks',
    ]);
    expect(titles((await search(shop.channel.key, 'q=stridewell')).data)).toEqual(['Trail Running Shoes']);
    expect(titles((await search(shop.channel.key, 'q=running+shoes')).data)).toEqual([
      'Road runner',
      'Trail Running Shoes',
      'Wool socks',
    ]);
    expect(titles((await search(shop.channel.key, 'q=merino+tshirt')).data)).toEqual([]);
    expect((await search(shop.channel.key, 'q=zzzqqq')).total).toBe(0);
  });

  it('ranks title matches above description matches', async () => {
    const result = await search(shop.channel.key, 'q=running');
    expect(result.data.at(-1)?.title).toBe('Wool socks');
    const scores = result.data.map((hit) => hit.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('finds a product by its SKU', async () => {
    const product = (await server.admin('GET', `/admin/v1/products/${shop.ids.trail}`)).json();
    const sku: string = product.variants[0].sku;
    expect(titles((await search(shop.channel.key, `q=${encodeURIComponent(sku)}`)).data)).toEqual([
      'Trail Running Shoes',
    ]);
  });

  it('shows only the channel’s published products', async () => {
    const mine = await search(shop.channel.key, 'q=shirt');
    expect(mine.data.map((hit) => hit.id)).not.toContain(shop.ids.elsewhere);
    expect(mine.data.map((hit) => hit.id)).not.toContain(shop.ids.draft);
    const all = await search(shop.channel.key, 'limit=100');
    expect(all.total).toBe(5);
    const theirs = await search(shop.other.key, 'q=tshirt');
    expect(theirs.data.map((hit) => hit.id)).toEqual([shop.ids.elsewhere]);
    const suggestions = await server.store(shop.other.key, 'GET', '/store/v1/search/suggest?q=classic');
    expect(suggestions.json().data).toEqual([]);
  });

  it('prices results in the channel currency with the price list the store uses', async () => {
    const result = await search(shop.channel.key, 'q=classic');
    const listed = await server.store(shop.channel.key, 'GET', '/store/v1/products?q=Classic');
    expect(result.data[0].price_range).toEqual(listed.json().data[0].price_range);
    expect(result.data[0].price_range).toEqual({ currency: 'EUR', min: 1500, max: 2000 });
  });
});

describe('filters and facets', () => {
  it('filters by category with its descendants, collection, options, price and stock', async () => {
    const key = shop.channel.key;
    expect(titles((await search(key, `category=${shop.categories.apparel}`)).data)).toEqual([
      'Classic T-Shirt',
      'Graphic T-Shirt',
      'Wool socks',
    ]);
    expect(titles((await search(key, 'q=shirt&option=Colour:Black')).data)).toEqual(['Graphic T-Shirt']);
    expect(titles((await search(key, 'option=Colour:Black&option=Colour:Red')).data)).toEqual([
      'Classic T-Shirt',
      'Graphic T-Shirt',
    ]);
    expect(titles((await search(key, 'option=Size:42&price_max=10000')).data)).toEqual([
      'Trail Running Shoes',
    ]);
    expect((await search(key, 'category=no-such-category')).total).toBe(0);
    const collections = (await search(key, '')).facets.collections;
    expect(collections.map((c) => [c.title, c.count])).toEqual([['Summer', 2]]);
    expect(titles((await search(key, `collection=${collections[0].handle}`)).data)).toEqual([
      'Classic T-Shirt',
      'Wool socks',
    ]);
  });

  it('counts each facet value as the size of the result filtered by it', async () => {
    const key = shop.channel.key;
    for (const base of [
      'q=shirt',
      '',
      'option=Colour:Red',
      `category=${shop.categories.apparel}&in_stock=true`,
      `collection=${shop.summer}&price_max=2000`,
    ]) {
      const result = await search(key, base);
      const expectTotal = async (extra: string, replaced: string | null, count: number) => {
        const params = new URLSearchParams(base);
        if (replaced) for (const name of replaced.split(',')) params.delete(name);
        const query = [params.toString(), extra].filter(Boolean).join('&');
        expect((await search(key, query)).total, `${query}`).toBe(count);
      };
      for (const facet of result.facets.categories)
        await expectTotal(`category=${facet.id}`, 'category', facet.count);
      for (const facet of result.facets.collections)
        await expectTotal(`collection=${facet.id}`, 'collection', facet.count);
      for (const option of result.facets.options) {
        for (const { value, count } of option.values) {
          // Disjunctive: the option's own filter is replaced, the other options' filters stay.
          const params = new URLSearchParams(base);
          const kept = params.getAll('option').filter((pair) => !pair.startsWith(`${option.name}:`));
          params.delete('option');
          for (const pair of [...kept, `${option.name}:${value}`]) params.append('option', pair);
          expect((await search(key, params.toString())).total, params.toString()).toBe(count);
        }
      }
      for (const bucket of result.facets.price)
        await expectTotal(
          `price_min=${bucket.min}${bucket.max === null ? '' : `&price_max=${bucket.max}`}`,
          'price_min,price_max',
          bucket.count,
        );
      await expectTotal('in_stock=true', 'in_stock', result.facets.in_stock.true);
      await expectTotal('in_stock=false', 'in_stock', result.facets.in_stock.false);
      expect(result.facets.price.reduce((sum, bucket) => sum + bucket.count, 0)).toBe(result.total);
    }
  });

  it('names category facets and includes ancestors', async () => {
    const result = await search(shop.channel.key, 'q=tshirt');
    const byName = Object.fromEntries(result.facets.categories.map((facet) => [facet.name, facet.count]));
    expect(byName).toEqual({ Apparel: 2, 'T-Shirts': 2 });
  });
});

describe('sync with the catalog', () => {
  it('follows product updates, unpublishing, deletion, category renames, prices and stock at once', async () => {
    const key = shop.channel.key;
    const id = await createProduct({
      title: 'Canvas tote',
      category_ids: [shop.categories.apparel],
      ...variants(['M'], 3000),
      channel_ids: [shop.channel.id],
    });
    expect((await search(key, 'q=tote')).data.map((hit) => hit.id)).toEqual([id]);

    const renamed = await server.admin('PATCH', `/admin/v1/products/${id}`, { title: 'Canvas shopper bag' });
    expect(renamed.statusCode).toBe(200);
    expect((await search(key, 'q=tote')).total).toBe(0);
    expect((await search(key, 'q=shopper')).data.map((hit) => hit.id)).toEqual([id]);

    const variant = renamed.json().variants[0];
    const price = (await server.admin('GET', `/admin/v1/products/${id}`)).json().variants[0].prices[0];
    expect((await server.admin('PATCH', `/admin/v1/prices/${price.id}`, { amount: 2500 })).statusCode).toBe(
      200,
    );
    expect((await search(key, 'q=shopper')).data[0].price_range).toEqual({
      currency: 'EUR',
      min: 2500,
      max: 2500,
    });

    const location = await server.admin('POST', '/admin/v1/stock-locations', {
      name: unique('Depot'),
      channel_ids: [shop.channel.id],
    });
    const level = await server.admin(
      'PUT',
      `/admin/v1/inventory/variants/${variant.id}/levels/${location.json().id}`,
      { on_hand: 0 },
    );
    expect(level.statusCode, level.body).toBe(200);
    expect((await search(key, 'q=shopper')).data[0].in_stock).toBe(false);
    expect((await search(key, 'q=shopper&in_stock=true')).total).toBe(0);
    await server.admin('PUT', `/admin/v1/inventory/variants/${variant.id}/levels/${location.json().id}`, {
      on_hand: 4,
    });
    expect((await search(key, 'q=shopper&in_stock=true')).total).toBe(1);

    const category = await createCategory('Bags', shop.categories.apparel);
    await server.admin('PATCH', `/admin/v1/products/${id}`, { category_ids: [category.id] });
    await server.admin('PATCH', `/admin/v1/categories/${category.id}`, { name: 'Satchels' });
    expect((await search(key, 'q=satchels')).data.map((hit) => hit.id)).toEqual([id]);

    await server.admin('PATCH', `/admin/v1/products/${id}`, { status: 'draft' });
    expect((await search(key, 'q=shopper')).total).toBe(0);
    await server.admin('PATCH', `/admin/v1/products/${id}`, { status: 'published' });
    expect((await search(key, 'q=shopper')).total).toBe(1);

    await server.admin('PUT', `/admin/v1/channels/${shop.other.id}/products`, { add: [id] });
    expect((await server.admin('DELETE', `/admin/v1/products/${id}`)).statusCode).toBe(204);
    expect((await search(key, 'q=shopper')).total).toBe(0);
  });
});

describe('statement-level sync', () => {
  it('re-indexes every product one statement touches', async () => {
    const ids = [
      await createProduct({ title: 'Batch lamp', ...variants(['S'], 1000), channel_ids: [shop.channel.id] }),
      await createProduct({
        title: 'Batch lamp XL',
        ...variants(['L'], 2000),
        channel_ids: [shop.channel.id],
      }),
    ];
    await sql`UPDATE prices SET amount = amount + 250
      WHERE variant_id IN (SELECT id FROM variants WHERE product_id IN (${ids[0]}, ${ids[1]}))`.execute(
      server.db,
    );
    const hits = (await search(shop.channel.key, 'q=batch+lamp&sort=title')).data;
    expect(hits.map((hit) => hit.price_range?.min)).toEqual([1250, 2250]);
  });
});

describe('stock holds', () => {
  it('rebuild the document only when they change whether the product is in stock', async () => {
    const key = shop.channel.key;
    const id = await createProduct({
      title: 'Held teapot',
      ...variants(['M'], 4000),
      channel_ids: [shop.channel.id],
    });
    const variantId = (await server.admin('GET', `/admin/v1/products/${id}`)).json().variants[0].id;
    const location = await server.admin('POST', '/admin/v1/stock-locations', {
      name: unique('Shelf'),
      channel_ids: [shop.channel.id],
    });
    const level = await server.admin(
      'PUT',
      `/admin/v1/inventory/variants/${variantId}/levels/${location.json().id}`,
      { on_hand: 3 },
    );
    expect(level.statusCode, level.body).toBe(200);
    const indexedAt = async () =>
      (
        await server.db
          .selectFrom('search_documents')
          .select(sql<string>`indexed_at::text`.as('at'))
          .where('product_id', '=', id)
          .executeTakeFirstOrThrow()
      ).at;
    const stock = async () => {
      const result = await search(key, 'q=held+teapot');
      return { hit: result.data[0]?.in_stock, facet: result.facets.in_stock };
    };
    const hold = (cartId: string, quantity: number) =>
      server.db
        .transaction()
        .execute((tx) =>
          reserve(tx, { channelId: shop.channel.id, cartId, lines: [{ variantId, quantity }] }),
        );
    const release = (cartId: string) =>
      server.db.transaction().execute((tx) => releaseReservations(tx, { cartId }));
    const [first, last] = [unique('cart'), unique('cart')];

    const before = await indexedAt();
    await hold(first, 2); // one unit still available
    expect(await indexedAt()).toBe(before);
    expect(await stock()).toEqual({ hit: true, facet: { true: 1, false: 0 } });

    await hold(last, 1); // the last unit: out of stock
    expect(await indexedAt()).not.toBe(before);
    expect(await stock()).toEqual({ hit: false, facet: { true: 0, false: 1 } });
    expect((await search(key, 'q=held+teapot&in_stock=true')).total).toBe(0);

    await release(last);
    expect(await stock()).toEqual({ hit: true, facet: { true: 1, false: 0 } });
    const restocked = await indexedAt();
    await release(first); // available 1 → 3: no change of state, no rebuild
    expect(await indexedAt()).toBe(restocked);
  });
});

describe('scheduled prices', () => {
  it('apply once their window opens, though no write happens then', async () => {
    const id = await createProduct({
      title: 'Flash kettle',
      ...variants(['M'], 5000),
      channel_ids: [shop.channel.id],
    });
    const variantId = (await server.admin('GET', `/admin/v1/products/${id}`)).json().variants[0].id;
    const startsAt = new Date(Date.now() + 3_000).toISOString();
    const sale = await server.admin('POST', `/admin/v1/variants/${variantId}/prices`, {
      currency: 'EUR',
      amount: 3000,
      starts_at: startsAt,
    });
    expect(sale.statusCode, sale.body).toBe(201);
    expect((await search(shop.channel.key, 'q=kettle')).data[0].price_range?.min).toBe(5000);
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    expect((await search(shop.channel.key, 'q=kettle')).data[0].price_range?.min).toBe(3000);
  });
});

describe('concurrent writers', () => {
  it('never deadlock on the index when they touch the same products in opposite orders', async () => {
    const [a, b] = [
      await createProduct({ title: 'Pair A', ...variants(['S', 'M'], 1000), channel_ids: [shop.channel.id] }),
      await createProduct({ title: 'Pair B', ...variants(['S', 'M'], 1000), channel_ids: [shop.channel.id] }),
    ];
    const priceIds = async (id: string): Promise<string[]> =>
      (await server.admin('GET', `/admin/v1/products/${id}`))
        .json()
        .variants.map((v: { prices: Array<{ id: string }> }) => v.prices[0].id);
    const [a1, a2] = await priceIds(a);
    const [b1, b2] = await priceIds(b);
    const raise = (first: string, second: string) =>
      server.db.transaction().execute(async (tx) => {
        await sql`UPDATE prices SET amount = amount + 500 WHERE id = ${first}`.execute(tx);
        await new Promise((resolve) => setTimeout(resolve, 100));
        await sql`UPDATE prices SET amount = amount + 500 WHERE id = ${second}`.execute(tx);
      });
    await Promise.all([raise(a1, b1), raise(b2, a2)]);
    const hits = (await search(shop.channel.key, 'q=pair&sort=title')).data;
    expect(hits.map((hit) => hit.price_range)).toEqual([
      { currency: 'EUR', min: 1500, max: 1600 },
      { currency: 'EUR', min: 1500, max: 1600 },
    ]);
  });
});

describe('sorting and pagination', () => {
  async function walk(key: string, query: string): Promise<Hit[]> {
    const seen: Hit[] = [];
    let cursor: string | null = null;
    do {
      const page = await search(key, `${query}&limit=2&facets=false${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.data);
      cursor = page.next_cursor;
      expect(page.has_more).toBe(cursor !== null);
    } while (cursor);
    return seen;
  }

  it('pages through every sort exactly once, in order', async () => {
    const key = shop.channel.key;
    const total = (await search(key, '')).total;
    for (const sort of ['newest', 'title', 'price_asc', 'price_desc', 'personalised']) {
      const hits = await walk(key, `sort=${sort}`);
      expect(new Set(hits.map((hit) => hit.id)).size, sort).toBe(total);
      expect(hits.length, sort).toBe(total);
      const prices = hits.map((hit) => hit.price_range?.min ?? 0);
      if (sort === 'price_asc') expect(prices).toEqual([...prices].sort((a, b) => a - b));
      if (sort === 'price_desc') expect(prices).toEqual([...prices].sort((a, b) => b - a));
      if (sort === 'title') expect(hits.map((h) => h.title)).toEqual(titles(hits));
    }
    const relevance = await walk(key, 'q=running');
    expect(relevance.map((hit) => hit.id)).toEqual(
      (await search(key, 'q=running')).data.map((hit) => hit.id),
    );
  });

  it('re-ranks by affinities with personalised, never far past relevance', async () => {
    const key = shop.channel.key;
    const plain = (await search(key, 'q=running&sort=personalised')).data.map((hit) => hit.title);
    expect(plain).toEqual((await search(key, 'q=running')).data.map((hit) => hit.title));
    provideAffinities(async () => ({ categories: {}, attributes: { 'brand:Acme': 1 }, priceBand: null }));
    try {
      const browse = await search(key, 'sort=personalised');
      expect(browse.data[0].title).toBe('Road runner');
    } finally {
      provideAffinities(null);
    }
  });

  it('answers bad input with a precise 400', async () => {
    const key = shop.channel.key;
    const cases: Array<[string, string]> = [
      ['limit=101', '/querystring/limit'],
      ['sort=cheapest', '/querystring/sort'],
      ['price_min=500&price_max=100', '/querystring/price_min'],
      ['colour=red', '/querystring/colour'],
      ['currency=USD', '/querystring/currency'],
      ['sort=relevance', '/querystring/sort'],
      ['option=Size', '/querystring/option/0'],
      ['cursor=bogus', '/querystring/cursor'],
    ];
    for (const [query, field] of cases) {
      const response = await server.store(key, 'GET', `/store/v1/search?${query}`);
      expect(response.statusCode, query).toBe(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(
        response.json().errors.map((e: { field: string }) => e.field),
        query,
      ).toContain(field);
    }
    const newest = await search(key, 'limit=1');
    const mixed = await server.store(key, 'GET', `/store/v1/search?sort=title&cursor=${newest.next_cursor}`);
    expect(mixed.statusCode).toBe(400);
    expect(mixed.json().code).toBe('invalid_cursor');
  });
});

describe('GET /store/v1/search/suggest', () => {
  it('completes prefixes and typos with categories first, at most the limit', async () => {
    const key = shop.channel.key;
    const runn = (await server.store(key, 'GET', '/store/v1/search/suggest?q=runn')).json().data;
    expect(runn[0]).toMatchObject({ type: 'category', text: 'Running shoes' });
    expect(
      runn.filter((s: { type: string }) => s.type === 'product').map((s: { text: string }) => s.text),
    ).toEqual(['Road runner', 'Trail Running Shoes']);
    const typo = (await server.store(key, 'GET', '/store/v1/search/suggest?q=clasic')).json().data;
    expect(typo.map((s: { text: string }) => s.text)).toEqual(['Classic T-Shirt']);
    const limited = (await server.store(key, 'GET', '/store/v1/search/suggest?q=t&limit=2')).json().data;
    expect(limited.length).toBeLessThanOrEqual(2);
    const tooMany = await server.store(key, 'GET', '/store/v1/search/suggest?q=t&limit=11');
    expect(tooMany.statusCode).toBe(400);
  });
});
