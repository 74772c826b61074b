import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../algorithms/engine.js';
import { formatReport } from './format-report.js';
import { runEvaluation } from './run-evaluation.js';

const DATASET = new URL('../../../../../../../shared/data/uci-online-retail-20k', import.meta.url).pathname;

// 12,000 rows give 80 repeat customers, the fewest on which next-basket figures separate;
// a 400-product EASE keeps the run near 8 CPU seconds. The timeout is generous because the
// machines running the suite are shared: wall time can be several times the CPU time.
const TIMEOUT_MS = 120_000;
const SETTINGS = {
  ...DEFAULT_SETTINGS,
  boughtTogether: {
    ...DEFAULT_SETTINGS.boughtTogether,
    ease: { ...DEFAULT_SETTINGS.boughtTogether.ease, maxItems: 400 },
  },
};

describe('offline evaluation on the first 12,000 rows of UCI Online Retail', () => {
  it(
    "beats popularity on basket completion and next basket with the engine's recommenders",
    async () => {
      let lastProgress = [0, 0];
      const report = await runEvaluation({
        datasetPath: DATASET,
        maxRows: 12_000,
        settings: SETTINGS,
        onProgress: (done, total) => {
          lastProgress = [done, total];
        },
      });

      const byName = (results: typeof report.basketCompletion.results, name: string) =>
        results.find((result) => result.recommender === name)!;
      const completion = report.basketCompletion.results;
      const next = report.nextBasket.results;
      expect(report.dataset.rows.read).toBe(12_000);
      expect(report.basketCompletion.trials).toBeGreaterThan(1_000);
      expect(report.nextBasket.customers).toBeGreaterThan(60);
      expect(byName(completion, 'engine').hitRate).toBeGreaterThan(
        2 * byName(completion, 'popularity').hitRate,
      );
      expect(byName(completion, 'engine').hitRate).toBeGreaterThan(
        byName(completion, 'item-kNN (plain cosine)').hitRate,
      );
      expect(byName(next, 'engine').hitRate).toBeGreaterThan(byName(next, 'popularity').hitRate);
      expect(lastProgress[0]).toBe(lastProgress[1]);

      const text = formatReport(report);
      expect(text).toContain('HitRate@10');
      expect(text).toContain(`${report.nextBasket.customers} customers`);
    },
    TIMEOUT_MS,
  );
});
