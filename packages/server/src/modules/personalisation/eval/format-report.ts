import type { EvaluationReport, RecommenderResult } from './run-evaluation.js';

/** Plain-text report for the terminal: dataset, protocol sizes, and one table per task. */
export function formatReport(report: EvaluationReport): string {
  const { dataset, basketCompletion, nextBasket, k } = report;
  const { rows } = dataset;
  return [
    `Dataset ${dataset.csvPath}`,
    `  ${rows.read} rows read, ${rows.kept} kept; dropped ${rows.cancellation} cancellation, ` +
      `${rows.nonPositiveQuantity} non-positive quantity, ${rows.nonProductCode} non-product rows`,
    `  ${dataset.baskets} purchase baskets, ${dataset.customers} customers, ${dataset.products} products`,
    '',
    `Basket completion (hide one product, recommend ${k} from the rest)`,
    `  train: ${basketCompletion.trainBaskets} baskets before ${basketCompletion.cutoff}; ` +
      `test: ${basketCompletion.testBaskets} baskets from then on, ${basketCompletion.trials} trials`,
    table(basketCompletion.results, k, true),
    '',
    `Next basket (each repeat customer's last basket held out, for_you from the earlier ones)`,
    `  train: ${nextBasket.trainBaskets} baskets; test: ${nextBasket.customers} customers`,
    table(nextBasket.results, k, false),
    '',
    'Times are CPU milliseconds: train = building the recommender from its training baskets, serve = one request.',
  ].join('\n');
}

function table(results: readonly RecommenderResult[], k: number, withNdcg: boolean): string {
  const header = [
    'recommender',
    `HitRate@${k}`,
    ...(withNdcg ? [`NDCG@${k}`] : []),
    'train ms',
    'serve p50 ms',
    'serve p99 ms',
  ];
  const body = results.map((result) => [
    result.recommender,
    result.hitRate.toFixed(4),
    ...(withNdcg ? [result.ndcg.toFixed(4)] : []),
    Math.round(result.trainMs).toString(),
    result.serveP50Ms.toFixed(2),
    result.serveP99Ms.toFixed(2),
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...body.map((row) => row[column].length)),
  );
  const line = (cells: string[]) =>
    `  ${cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ')}`;
  return [line(header), ...body.map(line)].join('\n');
}
