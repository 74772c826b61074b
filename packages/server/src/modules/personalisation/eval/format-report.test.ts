import { describe, expect, it } from 'vitest';
import { formatReport } from './format-report.js';
import type { EvaluationReport } from './run-evaluation.js';

const result = (recommender: string, hitRate: number) => ({
  recommender,
  hitRate,
  ndcg: hitRate / 2,
  trainMs: 1234.4,
  serveP50Ms: 0.123,
  serveP99Ms: 1.5,
});

const report: EvaluationReport = {
  k: 10,
  dataset: {
    csvPath: '/data/online_retail.csv',
    rows: { read: 100, kept: 90, cancellation: 6, nonPositiveQuantity: 1, nonProductCode: 3 },
    baskets: 12,
    customers: 7,
    products: 40,
  },
  basketCompletion: {
    cutoff: '2010-12-10T11:12:00.000Z',
    trainBaskets: 9,
    testBaskets: 3,
    trials: 25,
    results: [result('popularity', 0.04), result('engine', 0.19)],
  },
  nextBasket: { trainBaskets: 10, customers: 2, results: [result('popularity', 0.5), result('engine', 1)] },
};

describe('formatReport', () => {
  it('prints the protocol sizes and an aligned table per task', () => {
    const text = formatReport(report);
    expect(text).toContain(
      '100 rows read, 90 kept; dropped 6 cancellation, 1 non-positive quantity, 3 non-product rows',
    );
    expect(text).toContain('test: 3 baskets from then on, 25 trials');
    expect(text).toContain('test: 2 customers');

    const lines = text.split('\n');
    const header = lines.find((line) => line.includes('NDCG@10'))!;
    const engineRow = lines.find((line) => line.trimStart().startsWith('engine'))!;
    expect(header.trimStart().split(/\s{2,}/)).toEqual([
      'recommender',
      'HitRate@10',
      'NDCG@10',
      'train ms',
      'serve p50 ms',
      'serve p99 ms',
    ]);
    expect(engineRow.trimStart().split(/\s{2,}/)).toEqual([
      'engine',
      '0.1900',
      '0.0950',
      '1234',
      '0.12',
      '1.50',
    ]);
    expect(engineRow.length).toBe(header.length);
  });
});
