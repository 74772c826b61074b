import { describe, expect, it } from 'vitest';
import { buildContentIndex, buildContentNeighbourIndex, contentNeighbours, titleTokens } from './content.js';

describe('titleTokens', () => {
  it('lower-cases, splits on punctuation and underscores, drops one-letter tokens and repeats', () => {
    expect(titleTokens('WHITE_HANGING HEART T-LIGHT holder, white')).toEqual([
      'white',
      'hanging',
      'heart',
      'light',
      'holder',
    ]);
  });
});

describe('contentNeighbours', () => {
  const index = buildContentIndex([
    { productId: 'mug-red', title: 'Ceramic mug red', categories: ['kitchen'] },
    { productId: 'mug-blue', title: 'Ceramic mug blue', categories: ['kitchen'] },
    { productId: 'bowl-red', title: 'Ceramic bowl red', categories: ['kitchen'] },
    {
      productId: 'tshirt-red',
      title: 'Cotton t-shirt red',
      categories: ['clothing'],
      attributes: { size: 'M' },
    },
    {
      productId: 'tshirt-blue',
      title: 'Cotton t-shirt blue',
      categories: ['clothing'],
      attributes: { size: ['M'] },
    },
    { productId: 'scarf', title: 'Wool scarf', categories: ['clothing'], attributes: { size: 'One size' } },
  ]);

  it('ranks the products sharing the most specific features first', () => {
    const neighbours = contentNeighbours(index, 'mug-red', 10);
    expect(neighbours.map((n) => n.productId).slice(0, 2)).toEqual(['mug-blue', 'bowl-red']);
    expect(neighbours.every((n) => n.score > 0 && n.score <= 1 + 1e-12)).toBe(true);
    expect(neighbours.some((n) => n.productId === 'scarf')).toBe(false);
  });

  it('uses categories and attribute values, not only titles', () => {
    const neighbours = contentNeighbours(index, 'tshirt-red', 10).map((n) => n.productId);
    expect(neighbours[0]).toBe('tshirt-blue');
    expect(neighbours).toContain('scarf');
  });

  it('is symmetric, as a cosine must be', () => {
    const forward = contentNeighbours(index, 'mug-red', 10).find((n) => n.productId === 'bowl-red')!.score;
    const backward = contentNeighbours(index, 'bowl-red', 10).find((n) => n.productId === 'mug-red')!.score;
    expect(forward).toBeCloseTo(backward, 12);
  });

  it('returns nothing for an unknown product and caps list length', () => {
    expect(contentNeighbours(index, 'unknown', 10)).toEqual([]);
    const lists = buildContentNeighbourIndex(index, 1);
    expect(lists.size).toBe(6);
    for (const list of lists.values()) expect(list).toHaveLength(1);
  });
});
