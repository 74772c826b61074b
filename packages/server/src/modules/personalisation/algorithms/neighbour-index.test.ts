import { describe, expect, it } from 'vitest';
import {
  aggregateNeighbourScores,
  layerNeighbourIndexes,
  neighbourIndexFromRows,
  neighbourRows,
} from './neighbour-index.js';
import type { NeighbourIndex } from './types.js';

const ease: NeighbourIndex = new Map([['a', [{ productId: 'b', score: 0.4 }]]]);
const cosine: NeighbourIndex = new Map([
  ['a', [{ productId: 'c', score: 0.9 }]],
  ['tail', [{ productId: 'a', score: 0.5 }]],
]);
const content: NeighbourIndex = new Map([
  ['cold', [{ productId: 'a', score: 0.8 }]],
  ['empty', []],
]);

describe('layerNeighbourIndexes', () => {
  it('takes each product from the first layer that has it, scaling that layer', () => {
    const layered = layerNeighbourIndexes([
      { index: ease, scale: 1 },
      { index: cosine, scale: 0.5 },
      { index: content, scale: 0.1 },
    ]);
    expect(layered.get('a')).toEqual([{ productId: 'b', score: 0.4 }]);
    expect(layered.get('tail')).toEqual([{ productId: 'a', score: 0.25 }]);
    expect(layered.get('cold')?.[0].score).toBeCloseTo(0.08);
    expect(layered.has('empty')).toBe(false);
  });
});

describe('aggregateNeighbourScores', () => {
  it('sums seed-weighted neighbour scores and skips excluded products', () => {
    const index: NeighbourIndex = new Map([
      [
        'x',
        [
          { productId: 'p', score: 0.5 },
          { productId: 'q', score: 0.2 },
        ],
      ],
      [
        'y',
        [
          { productId: 'p', score: 0.1 },
          { productId: 'x', score: 0.9 },
        ],
      ],
    ]);
    const scores = aggregateNeighbourScores(
      index,
      new Map([
        ['x', 2],
        ['y', 1],
        ['unknown', 5],
      ]),
      new Set(['x']),
    );
    expect(scores.get('p')).toBeCloseTo(1.1);
    expect(scores.get('q')).toBeCloseTo(0.4);
    expect(scores.has('x')).toBe(false);
  });
});

describe('neighbourRows / neighbourIndexFromRows', () => {
  it('round-trips the serving index through table rows in any order', () => {
    const index: NeighbourIndex = new Map([
      [
        'a',
        [
          { productId: 'b', score: 0.7 },
          { productId: 'c', score: -0.1 },
        ],
      ],
      ['b', [{ productId: 'a', score: 0.7 }]],
    ]);
    const rows = neighbourRows(index);
    expect(rows).toContainEqual({ productId: 'a', neighbourId: 'c', score: -0.1 });
    expect(neighbourIndexFromRows([...rows].reverse())).toEqual(index);
  });
});
