import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allowedTypos, editDistance, matchTokens, pickCorrections, queryTokens, toTsQuery } from './text.js';

describe('queryTokens', () => {
  it('normalises like the index: lower case, punctuation joined, duplicates dropped', () => {
    expect(queryTokens('T-Shirt  blue,Men’s  t-shirt')).toEqual(['tshirt', 'blue', 'mens']);
    expect(queryTokens('TS-001/M')).toEqual(['ts001', 'm']);
    expect(queryTokens(' -- ')).toEqual([]);
    expect(queryTokens('a b c d e f g h i j')).toHaveLength(8);
  });
});

describe('editDistance', () => {
  it('counts an adjacent swap as one edit', () => {
    expect(editDistance('tshrit', 'tshirt')).toBe(1);
    expect(editDistance('shrt', 'shirt')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('is a symmetric measure, zero only between equal words, bounded by the longer length', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (a, b) => {
        const d = editDistance(a, b);
        expect(d).toBe(editDistance(b, a));
        expect(d === 0).toBe(a === b);
        expect(d).toBeLessThanOrEqual(Math.max(a.length, b.length));
        expect(d).toBeGreaterThanOrEqual(Math.abs(a.length - b.length));
      }),
    );
  });
});

describe('corrections', () => {
  it('allows no typo in short words and codes, one up to five letters, two beyond', () => {
    expect(allowedTypos('tee')).toBe(0);
    expect(allowedTypos('ts001')).toBe(0);
    expect(allowedTypos('shrt')).toBe(1);
    expect(allowedTypos('tshrit')).toBe(2);
  });

  it('keeps only the nearest candidates within the budget', () => {
    expect(pickCorrections('tshrit', ['tshirts', 'tshirt', 'short', 'tshrit'])).toEqual(['tshirt']);
    expect(pickCorrections('shrt', ['shirt', 'short', 'shorts'])).toEqual(['shirt', 'short']);
    expect(pickCorrections('boot', ['boat'])).toEqual(['boat']);
    expect(pickCorrections('boot', ['boats'])).toEqual([]);
    expect(pickCorrections('jacket', ['blanket'])).toEqual([]);
  });

  it('never corrects a word the vocabulary already has as a prefix', () => {
    expect(matchTokens([{ token: 'runn', hasPrefix: true, nearest: ['rune'] }])).toEqual([
      { token: 'runn', prefix: true, corrections: [] },
    ]);
  });
});

describe('toTsQuery', () => {
  it('requires every token, each as a prefix or one of its corrections', () => {
    expect(
      toTsQuery([
        { token: 'runn', prefix: true, corrections: [] },
        { token: 'shoos', prefix: false, corrections: ['shoes', 'shops'] },
      ]),
    ).toBe("'runn':* & ('shoes' | 'shops')");
    expect(toTsQuery([{ token: 'runn', prefix: true, corrections: ['rune'] }], 'A')).toBe(
      "('runn':*A | 'rune':A)",
    );
  });

  it('is null when a token matches nothing, or there is no token', () => {
    expect(toTsQuery([{ token: 'zzz', prefix: false, corrections: [] }])).toBeNull();
    expect(toTsQuery([])).toBeNull();
  });
});
