import { describe, expect, it } from 'vitest';
import { RankingMetrics, ServingCost } from './metrics.js';

describe('RankingMetrics', () => {
  it('scores a single hidden product by hit and 1/log2(rank + 2)', () => {
    const metrics = new RankingMetrics(3);
    metrics.add(['x', 'y', 'z'], new Set(['x']));
    metrics.add(['x', 'y', 'z'], new Set(['z']));
    metrics.add(['x', 'y', 'z', 'w'], new Set(['w']));
    expect(metrics.cases).toBe(3);
    expect(metrics.hitRate).toBeCloseTo(2 / 3);
    expect(metrics.ndcg).toBeCloseTo((1 + 1 / 2) / 3);
  });

  it('counts a basket as hit when any of its products is recommended, normalising NDCG by the ideal', () => {
    const metrics = new RankingMetrics(2);
    metrics.add(['a', 'b'], new Set(['b', 'c', 'd']));
    expect(metrics.hitRate).toBe(1);
    expect(metrics.ndcg).toBeCloseTo(1 / Math.log2(3) / (1 + 1 / Math.log2(3)));
  });

  it('reports zero before any case', () => {
    expect(new RankingMetrics(10).hitRate).toBe(0);
  });
});

describe('ServingCost', () => {
  it('returns the request result and nearest-rank percentiles of its CPU time', () => {
    const cost = new ServingCost();
    expect(cost.percentileMs(0.99)).toBe(0);
    expect(cost.time(() => 42)).toBe(42);
    cost.time(() => {
      let sum = 0;
      for (let i = 0; i < 5e6; i++) sum += i;
      return sum;
    });
    expect(cost.percentileMs(0.5)).toBeLessThanOrEqual(cost.percentileMs(1));
    expect(cost.percentileMs(1)).toBeGreaterThan(0);
  });
});
