import { describe, expect, it } from 'vitest';
import { list, pickVariant, say, sizesOf, toMinor } from '../src/speech.js';

const shoe = [
  { id: 'v40b', title: '40 / Black', availability: { in_stock: false } },
  { id: 'v40w', title: '40 / White' },
  { id: 'v42b', title: '42 / Black', availability: { in_stock: false } },
  { id: 'v42w', title: '42 / White', availability: { in_stock: true } },
];

describe('pickVariant', () => {
  it('picks the size said, in stock first, by option or by title', () => {
    expect(pickVariant(shoe, '42')).toEqual({ variant: shoe[3] });
    expect(pickVariant([{ id: 'a', title: 'Tall', options: { Size: 'M' } }], 'm')).toEqual({
      variant: { id: 'a', title: 'Tall', options: { Size: 'M' } },
    });
  });

  it('asks for a size when there are several, and names the sizes it has when one is missing', () => {
    expect(pickVariant(shoe, null)).toEqual({ ask: ['40', '42'] });
    expect(pickVariant(shoe, '44')).toEqual({ missing: ['40', '42'] });
    expect(pickVariant([{ id: 'only', title: 'Default' }], null)).toEqual({
      variant: { id: 'only', title: 'Default' },
    });
    expect(sizesOf([{ id: 'x', title: 'Black / XL' }])).toEqual(['XL']);
  });
});

describe('wording', () => {
  it('says prices the way a person would and converts spoken amounts exactly', () => {
    expect(say(8900, 'EUR')).toBe('€89');
    expect(say(8950, 'EUR')).toBe('€89.50');
    expect(say(500, 'JPY')).toBe('¥500');
    expect(toMinor(100, 'EUR')).toBe(10000);
    expect(toMinor(29.9, 'EUR')).toBe(2990);
    expect(toMinor(100, 'JPY')).toBe(100);
    expect(list(['a', 'b', 'c'])).toBe('a, b and c');
  });
});
