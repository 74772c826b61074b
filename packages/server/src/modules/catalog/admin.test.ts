import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, unique } from '../../../test/harness.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

function shirt(overrides: Record<string, unknown> = {}) {
  const sku = unique('SHIRT').toUpperCase();
  return {
    handle: unique('shirt'),
    title: 'Linen shirt',
    status: 'published',
    options: [{ name: 'Size', values: ['S', 'M'] }],
    variants: [
      {
        sku: `${sku}-S`,
        title: 'S',
        options: { Size: 'S' },
        weight_grams: 200,
        prices: [{ currency: 'EUR', amount: 4900 }],
      },
      { sku: `${sku}-M`, title: 'M', options: { Size: 'M' }, prices: [{ currency: 'EUR', amount: 5100 }] },
    ],
    ...overrides,
  };
}

async function eventsOf(resourceId: string) {
  return server.db
    .selectFrom('events')
    .select(['type', 'data'])
    .where('resource_id', '=', resourceId)
    .orderBy('seq')
    .execute();
}

describe('products admin API', () => {
  it('creates a product with nested options, variants and prices, then reads, updates and deletes it', async () => {
    const channel = await server.newChannel();
    const category = (
      await server.admin('POST', '/admin/v1/categories', { handle: unique('tops'), name: 'Tops' })
    ).json();
    const created = await server.admin('POST', '/admin/v1/products', {
      ...shirt(),
      category_ids: [category.id],
      channel_ids: [channel.id],
      media: [{ url: 'https://cdn.example.com/shirt.jpg', alt: 'Shirt' }],
      attributes: { material: 'linen' },
    });
    expect(created.statusCode).toBe(201);
    const product = created.json();
    expect(product.id).toMatch(/^prod_[0-9a-z]{26}$/);
    expect(product).toMatchObject({
      status: 'published',
      version: 1,
      category_ids: [category.id],
      channel_ids: [channel.id],
      media: [{ url: 'https://cdn.example.com/shirt.jpg', alt: 'Shirt' }],
      attributes: { material: 'linen' },
      options: [{ name: 'Size', values: ['S', 'M'], position: 0 }],
    });
    expect(product.variants).toHaveLength(2);
    expect(product.variants[0]).toMatchObject({ options: { Size: 'S' }, weight_grams: 200, position: 0 });
    expect(product.variants[0].prices[0]).toMatchObject({
      currency: 'EUR',
      amount: 4900,
      channel_id: null,
      min_quantity: 1,
    });
    expect((await eventsOf(product.id)).map((e) => e.type)).toEqual(['product.created']);

    const read = await server.admin('GET', `/admin/v1/products/${product.id}`);
    expect(read.json()).toEqual(product);

    const updated = await server.admin(
      'PATCH',
      `/admin/v1/products/${product.id}`,
      { title: 'Linen shirt II', category_ids: [] },
      { 'if-match': '1' },
    );
    expect(updated.statusCode).toBe(200);
    expect(updated.json()).toMatchObject({ title: 'Linen shirt II', version: 2, category_ids: [] });

    const stale = await server.admin(
      'PATCH',
      `/admin/v1/products/${product.id}`,
      { title: 'Lost' },
      { 'if-match': '1' },
    );
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({
      code: 'version_conflict',
      current: { title: 'Linen shirt II', version: 2 },
    });

    expect((await server.admin('DELETE', `/admin/v1/products/${product.id}`)).statusCode).toBe(204);
    expect((await server.admin('GET', `/admin/v1/products/${product.id}`)).statusCode).toBe(404);
    expect((await server.admin('GET', `/admin/v1/variants/${product.variants[0].id}`)).statusCode).toBe(404);
    expect((await eventsOf(product.id)).map((e) => e.type)).toEqual([
      'product.created',
      'product.updated',
      'product.deleted',
    ]);
  });

  it('rejects unknown fields, negative and fractional prices, changing nothing', async () => {
    const before = (
      await server.db
        .selectFrom('products')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n;
    const unknownField = await server.admin('POST', '/admin/v1/products', { ...shirt(), price: 10 });
    expect(unknownField.statusCode).toBe(400);
    expect(unknownField.json().errors).toContainEqual({
      field: '/body/price',
      message: 'is not a known field',
    });

    const base = shirt();
    const negative = await server.admin('POST', '/admin/v1/products', {
      ...base,
      variants: [{ ...base.variants[0], prices: [{ currency: 'EUR', amount: -1 }] }],
    });
    expect(negative.statusCode).toBe(400);
    expect(negative.json().errors[0].field).toBe('/body/variants/0/prices/0/amount');

    const fractional = await server.admin('POST', '/admin/v1/products', {
      ...base,
      variants: [{ ...base.variants[0], prices: [{ currency: 'EUR', amount: 12.5 }] }],
    });
    expect(fractional.statusCode).toBe(400);
    expect(fractional.json().errors[0].field).toBe('/body/variants/0/prices/0/amount');

    const badCurrency = await server.admin('POST', '/admin/v1/products', {
      ...base,
      variants: [{ ...base.variants[0], prices: [{ currency: 'EUD', amount: 100 }] }],
    });
    expect(badCurrency.statusCode).toBe(422);
    expect(badCurrency.json().errors).toContainEqual({
      field: '/body/variants/0/prices/0/currency',
      message: 'is not an ISO 4217 currency code',
    });

    const badOption = await server.admin('POST', '/admin/v1/products', {
      ...base,
      variants: [{ ...base.variants[0], options: { Size: 'XXL' } }],
    });
    expect(badOption.statusCode).toBe(422);
    expect(badOption.json().errors).toContainEqual({
      field: '/body/variants/0/options/Size',
      message: 'must be one of S, M',
    });

    const unknownRefs = await server.admin('POST', '/admin/v1/products', {
      ...shirt(),
      category_ids: ['pcat_nope'],
      channel_ids: ['chan_nope'],
    });
    expect(unknownRefs.statusCode).toBe(422);
    expect(unknownRefs.json().errors.map((e: { field: string }) => e.field)).toEqual([
      '/body/category_ids/0',
      '/body/channel_ids/0',
    ]);

    const after = (
      await server.db
        .selectFrom('products')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n;
    expect(after).toBe(before);
  });

  it('answers a duplicate SKU or handle with 409 and leaves no half-created product', async () => {
    const first = (await server.admin('POST', '/admin/v1/products', shirt())).json();
    const sameSku = shirt();
    sameSku.variants[1].sku = first.variants[0].sku;
    const clash = await server.admin('POST', '/admin/v1/products', sameSku);
    expect(clash.statusCode).toBe(409);
    expect(clash.json().code).toBe('sku_taken');
    const leftover = await server.db
      .selectFrom('products')
      .select('id')
      .where('handle', '=', sameSku.handle)
      .execute();
    expect(leftover).toEqual([]);

    const sameHandle = await server.admin('POST', '/admin/v1/products', shirt({ handle: first.handle }));
    expect(sameHandle.statusCode).toBe(409);
    expect(sameHandle.json().code).toBe('handle_taken');

    const twiceInOne = shirt();
    twiceInOne.variants[1].sku = twiceInOne.variants[0].sku;
    const dup = await server.admin('POST', '/admin/v1/products', twiceInOne);
    expect(dup.statusCode).toBe(422);
    expect(dup.json().errors).toContainEqual({
      field: '/body/variants/1/sku',
      message: 'appears twice in this product',
    });
  });

  it('answers unknown IDs with 404', async () => {
    const missing = 'prod_00000000000000000000000000';
    expect((await server.admin('GET', `/admin/v1/products/${missing}`)).statusCode).toBe(404);
    expect((await server.admin('PATCH', `/admin/v1/products/${missing}`, { title: 'x' })).statusCode).toBe(
      404,
    );
    expect((await server.admin('DELETE', `/admin/v1/products/${missing}`)).statusCode).toBe(404);
    expect(
      (await server.admin('POST', `/admin/v1/products/${missing}/variants`, { sku: unique('X') })).statusCode,
    ).toBe(404);
    expect((await server.admin('GET', '/admin/v1/variants/var_missing')).statusCode).toBe(404);
    expect((await server.admin('GET', '/admin/v1/variants/var_missing/prices')).statusCode).toBe(404);
    expect(
      (await server.admin('POST', '/admin/v1/variants/var_missing/prices', { currency: 'EUR', amount: 1 }))
        .statusCode,
    ).toBe(404);
    expect((await server.admin('PATCH', '/admin/v1/prices/price_missing', { amount: 1 })).statusCode).toBe(
      404,
    );
    expect((await server.admin('GET', '/admin/v1/categories/pcat_missing')).statusCode).toBe(404);
    expect((await server.admin('DELETE', '/admin/v1/collections/pcol_missing')).statusCode).toBe(404);
    expect(
      (await server.admin('PUT', '/admin/v1/channels/chan_missing/products', { add: [] })).statusCode,
    ).toBe(404);
  });

  it('requires catalog scopes', async () => {
    const reader = (
      await server.admin('POST', '/admin/v1/keys', { kind: 'secret', name: 'r', scopes: ['catalog:read'] })
    ).json();
    expect((await server.store(reader.token, 'GET', '/admin/v1/products')).statusCode).toBe(200);
    const denied = await server.store(reader.token, 'POST', '/admin/v1/products', shirt());
    expect(denied.statusCode).toBe(403);
    expect(denied.json().code).toBe('insufficient_scope');
  });
});

describe('variants, options and prices', () => {
  it('adds, updates and deletes variants with option checks and If-Match', async () => {
    const product = (await server.admin('POST', '/admin/v1/products', shirt())).json();
    const sku = unique('SHIRT-L');
    const repeat = await server.admin('POST', `/admin/v1/products/${product.id}/variants`, {
      sku,
      options: { Size: 'S' },
    });
    expect(repeat.statusCode).toBe(422);
    expect(repeat.json().errors[0].message).toMatch(/repeats the option values/);

    const option = await server.admin(
      'PATCH',
      `/admin/v1/products/${product.id}/options/${product.options[0].id}`,
      { values: ['S', 'M', 'L'] },
    );
    expect(option.statusCode).toBe(200);
    const added = await server.admin('POST', `/admin/v1/products/${product.id}/variants`, {
      sku,
      options: { Size: 'L' },
      prices: [{ currency: 'EUR', amount: 5300 }],
    });
    expect(added.statusCode).toBe(201);
    const variant = added.json();
    expect(variant).toMatchObject({ position: 2, version: 1, prices: [{ amount: 5300 }] });

    const dupSku = await server.admin('PATCH', `/admin/v1/variants/${variant.id}`, {
      sku: product.variants[0].sku,
    });
    expect(dupSku.statusCode).toBe(409);
    expect(dupSku.json().code).toBe('sku_taken');

    const renamed = await server.admin(
      'PATCH',
      `/admin/v1/variants/${variant.id}`,
      { title: 'Large' },
      { 'if-match': '1' },
    );
    expect(renamed.json()).toMatchObject({ title: 'Large', version: 2 });
    expect(
      (await server.admin('PATCH', `/admin/v1/variants/${variant.id}`, { title: 'x' }, { 'if-match': '1' }))
        .statusCode,
    ).toBe(409);

    const inUse = await server.admin(
      'PATCH',
      `/admin/v1/products/${product.id}/options/${product.options[0].id}`,
      { values: ['S', 'M'] },
    );
    expect(inUse.statusCode).toBe(409);
    expect(inUse.json().code).toBe('option_value_in_use');

    const renameOption = await server.admin(
      'PATCH',
      `/admin/v1/products/${product.id}/options/${product.options[0].id}`,
      { name: 'Größe' },
    );
    expect(renameOption.statusCode).toBe(200);
    expect((await server.admin('GET', `/admin/v1/variants/${variant.id}`)).json().options).toEqual({
      Größe: 'L',
    });

    expect((await server.admin('DELETE', `/admin/v1/variants/${variant.id}`)).statusCode).toBe(204);
    const after = (await server.admin('GET', `/admin/v1/products/${product.id}`)).json();
    expect(after.variants.map((v: { sku: string }) => v.sku)).not.toContain(sku);
    expect(after.version).toBeGreaterThan(product.version);
  });

  it('manages prices: channel currency check, duplicate scope 409, If-Match, price.updated events', async () => {
    const channel = await server.newChannel({ default_currency: 'USD', currencies: ['USD'] });
    const product = (await server.admin('POST', '/admin/v1/products', shirt())).json();
    const variantId = product.variants[0].id;
    const wrongCurrency = await server.admin('POST', `/admin/v1/variants/${variantId}/prices`, {
      currency: 'EUR',
      amount: 100,
      channel_id: channel.id,
    });
    expect(wrongCurrency.statusCode).toBe(422);
    expect(wrongCurrency.json().errors[0].field).toBe('/body/currency');

    const created = await server.admin('POST', `/admin/v1/variants/${variantId}/prices`, {
      currency: 'USD',
      amount: 5500,
      channel_id: channel.id,
      min_quantity: 10,
    });
    expect(created.statusCode).toBe(201);
    const price = created.json();
    const duplicate = await server.admin('POST', `/admin/v1/variants/${variantId}/prices`, {
      currency: 'USD',
      amount: 5000,
      channel_id: channel.id,
      min_quantity: 10,
    });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().code).toBe('duplicate_price');

    const window = await server.admin('PATCH', `/admin/v1/prices/${price.id}`, {
      starts_at: '2030-01-02T00:00:00Z',
      ends_at: '2030-01-01T00:00:00Z',
    });
    expect(window.statusCode).toBe(422);
    expect(window.json().errors[0].field).toBe('/body/ends_at');

    const updated = await server.admin(
      'PATCH',
      `/admin/v1/prices/${price.id}`,
      { amount: 5200 },
      { 'if-match': '1' },
    );
    expect(updated.json()).toMatchObject({ amount: 5200, version: 2 });
    expect(
      (await server.admin('PATCH', `/admin/v1/prices/${price.id}`, { amount: 1 }, { 'if-match': '1' }))
        .statusCode,
    ).toBe(409);

    const listed = (await server.admin('GET', `/admin/v1/variants/${variantId}/prices`)).json().data;
    expect(listed.map((p: { amount: number }) => p.amount).sort()).toEqual([4900, 5200]);
    expect((await server.admin('DELETE', `/admin/v1/prices/${price.id}`)).statusCode).toBe(204);
    const events = await eventsOf(price.id);
    expect(events.map((e) => e.type)).toEqual(['price.updated', 'price.updated', 'price.updated']);
    expect(events[2]?.data).toMatchObject({ deleted: true, variant_id: variantId });
  });
});

describe('categories, collections and assortment', () => {
  it('keeps the category tree acyclic and refuses deleting a parent', async () => {
    const root = (
      await server.admin('POST', '/admin/v1/categories', { handle: unique('root'), name: 'Root' })
    ).json();
    const child = (
      await server.admin('POST', '/admin/v1/categories', {
        handle: unique('child'),
        name: 'Child',
        parent_id: root.id,
      })
    ).json();
    const cycle = await server.admin('PATCH', `/admin/v1/categories/${root.id}`, { parent_id: child.id });
    expect(cycle.statusCode).toBe(422);
    expect(cycle.json().errors[0]).toEqual({ field: '/body/parent_id', message: 'would make a cycle' });
    const orphan = await server.admin('POST', '/admin/v1/categories', {
      handle: unique('x'),
      name: 'X',
      parent_id: 'pcat_missing',
    });
    expect(orphan.statusCode).toBe(422);
    expect((await server.admin('DELETE', `/admin/v1/categories/${root.id}`)).json().code).toBe(
      'category_has_children',
    );
    const dupHandle = await server.admin('POST', '/admin/v1/categories', {
      handle: root.handle,
      name: 'Again',
    });
    expect(dupHandle.statusCode).toBe(409);
    expect((await server.admin('DELETE', `/admin/v1/categories/${child.id}`)).statusCode).toBe(204);
    expect((await server.admin('DELETE', `/admin/v1/categories/${root.id}`)).statusCode).toBe(204);
  });

  it('updates collections with If-Match', async () => {
    const collection = (
      await server.admin('POST', '/admin/v1/collections', { handle: unique('summer'), title: 'Summer' })
    ).json();
    expect(collection.version).toBe(1);
    const updated = await server.admin(
      'PATCH',
      `/admin/v1/collections/${collection.id}`,
      { title: 'Summer sale' },
      { 'if-match': '1' },
    );
    expect(updated.json()).toMatchObject({ title: 'Summer sale', version: 2 });
    expect(
      (
        await server.admin(
          'PATCH',
          `/admin/v1/collections/${collection.id}`,
          { title: 'x' },
          { 'if-match': '1' },
        )
      ).statusCode,
    ).toBe(409);
  });

  it('adds and removes products in a channel assortment', async () => {
    const channel = await server.newChannel();
    const a = (await server.admin('POST', '/admin/v1/products', shirt())).json();
    const b = (await server.admin('POST', '/admin/v1/products', shirt())).json();
    const added = await server.admin('PUT', `/admin/v1/channels/${channel.id}/products`, {
      add: [a.id, b.id],
    });
    expect(added.json()).toEqual({ added: 2, removed: 0 });
    expect(
      (await server.admin('PUT', `/admin/v1/channels/${channel.id}/products`, { add: [a.id] })).json(),
    ).toEqual({ added: 0, removed: 0 });
    expect(
      (await server.admin('PUT', `/admin/v1/channels/${channel.id}/products`, { remove: [a.id] })).json(),
    ).toEqual({ added: 0, removed: 1 });
    const unknown = await server.admin('PUT', `/admin/v1/channels/${channel.id}/products`, {
      add: ['prod_missing'],
    });
    expect(unknown.statusCode).toBe(422);
    const listed = await server.admin('GET', `/admin/v1/channels/${channel.id}/products`);
    expect(listed.json()).toEqual({ data: [b.id], has_more: false, next_cursor: null });
    expect((await server.admin('GET', `/admin/v1/products/${b.id}`)).json().channel_ids).toEqual([
      channel.id,
    ]);
  });

  it('lists products with status, q and category filters and stable cursors', async () => {
    const marker = unique('zq');
    const parent = (
      await server.admin('POST', '/admin/v1/categories', { handle: unique('p'), name: 'P' })
    ).json();
    const child = (
      await server.admin('POST', '/admin/v1/categories', {
        handle: unique('c'),
        name: 'C',
        parent_id: parent.id,
      })
    ).json();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const body = shirt({
        title: `${marker} ${i}`,
        status: i % 2 ? 'draft' : 'published',
        category_ids: i < 3 ? [child.id] : [],
      });
      ids.push((await server.admin('POST', '/admin/v1/products', body)).json().id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/admin/v1/products?q=${marker}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await server.admin('GET', url)).json();
      seen.push(...page.data.map((p: { id: string }) => p.id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
    const drafts = (await server.admin('GET', `/admin/v1/products?q=${marker}&status=draft`)).json().data;
    expect(drafts.map((p: { id: string }) => p.id)).toEqual([ids[3], ids[1]]);
    const inParent = (await server.admin('GET', `/admin/v1/products?category_id=${parent.id}`)).json().data;
    expect(inParent.map((p: { id: string }) => p.id)).toEqual([ids[2], ids[1], ids[0]]);
    expect((await server.admin('GET', '/admin/v1/products?cursor=bogus')).json().code).toBe('invalid_cursor');
    expect((await server.admin('GET', '/admin/v1/products?limit=101')).statusCode).toBe(400);
  });
});
