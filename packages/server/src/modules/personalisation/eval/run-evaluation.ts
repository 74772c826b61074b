import { DEFAULT_SETTINGS, type RecommenderSettings } from '../algorithms/engine.js';
import { type Contender, contenders, type TrainedRecommender, type TrainingData } from './contenders.js';
import { loadOnlineRetail, type RowCounts } from './dataset.js';
import { cpuMs } from './metrics.js';
import {
  completionTrials,
  evaluateBasketCompletion,
  evaluateNextBasket,
  type ProtocolResult,
  TOP_K,
} from './protocols.js';
import { leaveLastBasketOut, splitByTime } from './splits.js';

/** The most recent fifth of the baskets is the basket-completion test period. */
export const TEST_FRACTION = 0.2;

export interface EvaluationOptions {
  /** The csv file, or a folder holding exactly one csv file. */
  readonly datasetPath: string;
  /** Only the first this many data rows (file order), e.g. for a quick run. */
  readonly maxRows?: number;
  /** Called after every evaluation trial; `total` counts all trials of all recommenders. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Knobs to evaluate instead of the engine defaults. */
  readonly settings?: RecommenderSettings;
}

export interface RecommenderResult {
  readonly recommender: string;
  readonly hitRate: number;
  readonly ndcg: number;
  /** CPU time to build the recommender from the training baskets, counting included. */
  readonly trainMs: number;
  /** Median and 99th percentile CPU time of one recommendation request. */
  readonly serveP50Ms: number;
  readonly serveP99Ms: number;
}

export interface EvaluationReport {
  readonly k: number;
  readonly dataset: {
    readonly csvPath: string;
    readonly rows: RowCounts;
    readonly baskets: number;
    readonly customers: number;
    readonly products: number;
  };
  readonly basketCompletion: {
    readonly cutoff: string;
    readonly trainBaskets: number;
    readonly testBaskets: number;
    readonly trials: number;
    readonly results: readonly RecommenderResult[];
  };
  readonly nextBasket: {
    readonly trainBaskets: number;
    readonly customers: number;
    readonly results: readonly RecommenderResult[];
  };
}

export async function runEvaluation(options: EvaluationOptions): Promise<EvaluationReport> {
  const dataset = await loadOnlineRetail(options.datasetPath, options.maxRows);
  const candidates = contenders(options.settings ?? DEFAULT_SETTINGS);
  const temporal = splitByTime(dataset.baskets, TEST_FRACTION);
  const nextBasket = leaveLastBasketOut(dataset.baskets);

  const completionTrialCount = temporal.test.reduce((sum, basket) => sum + completionTrials(basket), 0);
  const total = (completionTrialCount + nextBasket.cases.length) * candidates.length;
  let done = 0;
  const tick = () => options.onProgress?.(++done, total);

  const completionResults: RecommenderResult[] = [];
  const nextBasketResults: RecommenderResult[] = [];
  for (const contender of candidates) {
    const onCompletionSplit = timedTraining(contender, { baskets: temporal.train, titles: dataset.titles });
    const completion = await evaluateBasketCompletion(onCompletionSplit.recommender, temporal.test, tick);
    completionResults.push(resultOf(contender, completion, onCompletionSplit.trainMs));

    const onNextBasketSplit = timedTraining(contender, { baskets: nextBasket.train, titles: dataset.titles });
    const next = await evaluateNextBasket(onNextBasketSplit.recommender, nextBasket.cases, tick);
    nextBasketResults.push(resultOf(contender, next, onNextBasketSplit.trainMs));
  }

  return {
    k: TOP_K,
    dataset: {
      csvPath: dataset.csvPath,
      rows: dataset.rows,
      baskets: dataset.baskets.length,
      customers: new Set(dataset.baskets.map((basket) => basket.customerId)).size,
      products: dataset.titles.size,
    },
    basketCompletion: {
      cutoff: new Date(temporal.cutoff).toISOString(),
      trainBaskets: temporal.train.length,
      testBaskets: temporal.test.length,
      trials: completionTrialCount,
      results: completionResults,
    },
    nextBasket: {
      trainBaskets: nextBasket.train.length,
      customers: nextBasket.cases.length,
      results: nextBasketResults,
    },
  };
}

function timedTraining(
  contender: Contender,
  data: TrainingData,
): { recommender: TrainedRecommender; trainMs: number } {
  const { result, ms } = cpuMs(() => contender.train(data));
  return { recommender: result, trainMs: ms };
}

function resultOf(
  contender: Contender,
  { metrics, serving }: ProtocolResult,
  trainMs: number,
): RecommenderResult {
  return {
    recommender: contender.name,
    hitRate: metrics.hitRate,
    ndcg: metrics.ndcg,
    trainMs,
    serveP50Ms: serving.percentileMs(0.5),
    serveP99Ms: serving.percentileMs(0.99),
  };
}
