import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canOpen, hasScope, visibleSections } from '../src/access.js';
import { handleFrom, mediaFromLines, parseOptionLines, skuFor, variantCombinations } from '../src/catalog.js';
import { parseAmount, toDecimal } from '../src/format.js';
import { csvFields, csvRecords, splitCsv, splitJsonLines } from '../src/import-chunks.js';

const ROLE_SCOPES = {
  owner: ['*'],
  catalog_manager: [
    'catalog:write',
    'inventory:write',
    'promotions:write',
    'channels:read',
    'settings:read',
    'events:read',
  ],
  support: ['orders:write', 'customers:write'],
};

describe('access', () => {
  it('shows support only orders and customers, and no product editor', () => {
    expect(visibleSections(ROLE_SCOPES.support).map((s) => s.id)).toEqual(['home', 'orders', 'customers']);
    expect(canOpen(ROLE_SCOPES.support, 'products/prod_1')).toBe(false);
    expect(canOpen(ROLE_SCOPES.support, 'orders/ord_1')).toBe(true);
    expect(canOpen(ROLE_SCOPES.support, 'nowhere')).toBe(false);
  });

  it('follows the API rule: * grants all, write implies read, read never implies write', () => {
    expect(visibleSections(ROLE_SCOPES.owner)).toHaveLength(8);
    expect(hasScope(ROLE_SCOPES.catalog_manager, 'catalog:read')).toBe(true);
    expect(hasScope(['catalog:read'], 'catalog:write')).toBe(false);
    expect(visibleSections(ROLE_SCOPES.catalog_manager).map((s) => s.id)).toEqual([
      'home',
      'products',
      'import',
      'promotions',
      'channels',
    ]);
  });
});

describe('money fields', () => {
  it('parses typed prices exactly into minor units', () => {
    expect(parseAmount('19.99', 'EUR')).toBe(1999);
    expect(parseAmount('19,9', 'EUR')).toBe(1990);
    expect(parseAmount(' 1 299 ', 'EUR')).toBe(129900);
    expect(parseAmount('0.1', 'EUR')).toBe(10);
    expect(parseAmount('500', 'JPY')).toBe(500);
    expect(parseAmount('5.5', 'JPY')).toBeNull();
    expect(parseAmount('1.999', 'EUR')).toBeNull();
    expect(parseAmount('-1', 'EUR')).toBeNull();
    expect(parseAmount('abc', 'EUR')).toBeNull();
  });

  it('round-trips every amount through the field text', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 1_000_000_000 }),
        fc.constantFrom('EUR', 'JPY', 'KWD', 'USD'),
        (amount, currency) => {
          expect(parseAmount(toDecimal(amount, currency), currency)).toBe(amount);
        },
      ),
    );
    expect(toDecimal(5, 'EUR')).toBe('0.05');
  });
});

describe('product form helpers', () => {
  it('reads option lines and reports the first mistake', () => {
    expect(parseOptionLines('Size: 40, 41, 41\n\nColour: Red')).toEqual([
      { name: 'Size', values: ['40', '41'] },
      { name: 'Colour', values: ['Red'] },
    ]);
    expect(parseOptionLines('Size 40')).toBe('Line 1: write "Name: value, value"');
    expect(parseOptionLines('Size:')).toBe('Line 1: Size has no values');
  });

  it('makes one variant per combination with a readable SKU', () => {
    const combos = variantCombinations([
      { name: 'Size', values: ['S', 'M'] },
      { name: 'Colour', values: ['Dark blue', 'Red'] },
    ]);
    expect(combos).toEqual([
      { Size: 'S', Colour: 'Dark blue' },
      { Size: 'S', Colour: 'Red' },
      { Size: 'M', Colour: 'Dark blue' },
      { Size: 'M', Colour: 'Red' },
    ]);
    expect(variantCombinations([])).toEqual([{}]);
    expect(skuFor('shirt', combos[0])).toBe('SHIRT-S-DARK-BLUE');
    expect(handleFrom('Crème Brûlée – Large!')).toBe('creme-brulee-large');
    expect(mediaFromLines(' https://a/1.jpg \n\nhttps://a/2.jpg')).toEqual([
      { url: 'https://a/1.jpg', alt: null },
      { url: 'https://a/2.jpg', alt: null },
    ]);
  });
});

describe('import chunks', () => {
  it('splits JSON Lines by product and maps chunk lines back to file lines', () => {
    const text = ['{"a":1}', '', '{"a":2}', '{"a":3}', ''].join('\n');
    const chunks = splitJsonLines(text, 2);
    expect(chunks.map((c) => c.products)).toEqual([2, 1]);
    expect(chunks.map((c) => c.lineOffset)).toEqual([0, 3]);
    // Line 1 of the second chunk is line 4 of the file.
    expect(text.split('\n')[chunks[1].lineOffset + 1 - 1]).toBe('{"a":3}');
    expect(chunks.map((c) => c.body).join('\n')).toBe(text);
  });

  it('keeps a product’s CSV rows together, repeats the header, and keeps quoted newlines', () => {
    const text = ['handle,title,sku', 'a,"Title ""A""",A1', 'a,"Two', 'lines",A2', 'b,B,B1', 'c,C,C1'].join(
      '\n',
    );
    expect(csvRecords(text).map((r) => [r.line, r.lines])).toEqual([
      [1, 1],
      [2, 1],
      [3, 2],
      [5, 1],
      [6, 1],
    ]);
    expect(csvFields('a,"Title ""A""",A1')).toEqual(['a', 'Title "A"', 'A1']);
    const chunks = splitCsv(text, 2);
    expect(chunks.map((c) => c.products)).toEqual([2, 1]);
    expect(chunks[1].body).toBe('handle,title,sku\nc,C,C1');
    // Row "c" is on line 2 of its chunk and on line 6 of the file.
    expect(2 + chunks[1].lineOffset).toBe(6);
    expect(chunks[0].lineOffset).toBe(0);
  });

  it('sends a CSV whose product rows are not consecutive in one piece', () => {
    const text = 'handle,sku\na,A1\nb,B1\na,A2';
    expect(splitCsv(text, 1)).toEqual([{ body: text, products: 2, lineOffset: 0 }]);
  });
});
