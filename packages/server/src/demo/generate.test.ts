import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CATEGORY_TREE, COLLECTIONS, leavesOf } from './catalog-data.js';
import { ean13, generateProducts, type ProductRecord } from './generate.js';
import { createRandom } from './prng.js';

const channels = { web: 'chan_web', mobile: 'chan_mobile', voice: 'chan_voice' };
const generate = (products: number, seed?: number) => [...generateProducts({ products, channels, seed })];
const digest = (records: ProductRecord[]) =>
  createHash('sha256').update(JSON.stringify(records)).digest('hex');

const HANDLE = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const eanIsValid = (code: string) => {
  const digits = [...code].map(Number);
  const sum = digits.slice(0, 12).reduce((total, digit, i) => total + digit * (i % 2 === 0 ? 1 : 3), 0);
  return code.length === 13 && (10 - (sum % 10)) % 10 === digits[12];
};

describe('demo catalog generator', () => {
  const catalog = generate(1_200);

  it('is deterministic: the same seed gives the same records, another seed another catalog', () => {
    expect(digest(generate(1_200))).toBe(digest(catalog));
    expect(digest(generate(1_200, 7))).not.toBe(digest(catalog));
  });

  it('is a prefix of any larger catalog, so a benchmark catalog starts with the demo', () => {
    expect(digest(generate(1_500).slice(0, 1_200))).toBe(digest(catalog));
  });

  it('has at least 1,000 products with unique handles, SKUs and valid unique barcodes', () => {
    expect(catalog.length).toBeGreaterThanOrEqual(1_000);
    const variants = catalog.flatMap((product) => product.variants);
    expect(new Set(catalog.map((product) => product.handle)).size).toBe(catalog.length);
    expect(new Set(variants.map((variant) => variant.sku)).size).toBe(variants.length);
    expect(new Set(variants.map((variant) => variant.barcode)).size).toBe(variants.length);
    expect(variants.every((variant) => eanIsValid(variant.barcode))).toBe(true);
  });

  it('produces records the import accepts: handles, references, options and integer prices', () => {
    const leafHandles = new Set(leavesOf(CATEGORY_TREE).map((leaf) => leaf.node.handle));
    const collectionHandles = new Set<string>(COLLECTIONS.map((collection) => collection.handle));
    for (const product of catalog) {
      expect(product.handle).toMatch(HANDLE);
      expect(product.title.length).toBeGreaterThan(0);
      expect(['draft', 'published', 'archived']).toContain(product.status);
      expect(product.categories.every((handle) => leafHandles.has(handle))).toBe(true);
      expect(product.collections.every((handle) => collectionHandles.has(handle))).toBe(true);
      expect(product.channels[0]).toBe(channels.web);
      expect(product.variants.length).toBeGreaterThan(0);
      const optionNames = product.options.map((option) => option.name);
      for (const variant of product.variants) {
        expect(Object.keys(variant.options).sort()).toEqual([...optionNames].sort());
        for (const [name, value] of Object.entries(variant.options))
          expect(product.options.find((option) => option.name === name)?.values).toContain(value);
        expect(Number.isInteger(variant.weight_grams) && variant.weight_grams > 0).toBe(true);
        const base = variant.prices.filter((price) => !price.channel_id);
        expect(base.map((price) => price.currency)).toEqual(expect.arrayContaining(['EUR', 'USD']));
        for (const price of variant.prices) {
          expect(Number.isSafeInteger(price.amount) && price.amount > 0).toBe(true);
          if (price.channel_id) expect(price.channel_id).toBe(channels.mobile);
        }
      }
      // Every option combination exists exactly once.
      const combos = new Set(product.variants.map((variant) => JSON.stringify(variant.options)));
      expect(combos.size).toBe(product.variants.length);
    }
  });

  it('gives the three channels different assortments and keeps some drafts and archived products', () => {
    const count = (predicate: (product: ProductRecord) => boolean) => catalog.filter(predicate).length;
    const mobile = count((product) => product.channels.includes(channels.mobile));
    const voice = count((product) => product.channels.includes(channels.voice));
    expect(mobile).toBeGreaterThan(catalog.length / 2);
    expect(mobile).toBeLessThan(catalog.length);
    expect(voice).toBeGreaterThan(20);
    expect(voice).toBeLessThan(catalog.length / 5);
    expect(count((product) => product.status === 'draft')).toBeGreaterThan(0);
    expect(count((product) => product.status === 'archived')).toBeGreaterThan(0);
    expect(
      count((product) => product.variants.some((v) => v.prices.some((p) => p.currency === 'GBP'))),
    ).toBeGreaterThan(0);
    expect(
      count((product) => product.variants.some((v) => v.prices.some((p) => p.channel_id))),
    ).toBeGreaterThan(0);
    for (const { handle } of COLLECTIONS)
      expect(count((product) => product.collections.includes(handle))).toBeGreaterThan(5);
  });

  it('holds what the demos ask for: running shoes under 100 in sizes 40-46, and T-shirts', () => {
    const published = catalog.filter((product) => product.status === 'published');
    const cheapRunners = published.filter(
      (product) =>
        product.categories.includes('running-shoes') &&
        product.variants.every((variant) =>
          variant.prices.some((p) => p.currency === 'EUR' && p.amount < 100_00),
        ),
    );
    expect(cheapRunners.length).toBeGreaterThanOrEqual(8);
    for (const shoe of cheapRunners)
      expect(shoe.options.find((option) => option.name === 'Size')?.values).toEqual([
        '40',
        '41',
        '42',
        '43',
        '44',
        '45',
        '46',
      ]);
    expect(
      cheapRunners.filter((product) => product.channels.includes(channels.voice)).length,
    ).toBeGreaterThan(0);
    expect(published.filter((product) => product.title.includes('T-Shirt')).length).toBeGreaterThan(20);
  });
});

describe('building blocks', () => {
  it('computes EAN-13 check digits', () => {
    expect(ean13(0)).toBe('2000000000008');
    expect(eanIsValid(ean13(123_456_789))).toBe(true);
  });

  it('draws the same sequence from the same seed', () => {
    const a = createRandom(42);
    const b = createRandom(42);
    expect(Array.from({ length: 5 }, () => a.int(0, 1000))).toEqual(
      Array.from({ length: 5 }, () => b.int(0, 1000)),
    );
    expect(createRandom(1).sample(['a', 'b', 'c', 'd'], 2)).toHaveLength(2);
  });
});
