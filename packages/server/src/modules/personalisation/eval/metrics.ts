/** Accumulates top-k ranking quality over evaluation cases. */
export class RankingMetrics {
  #cases = 0;
  #hits = 0;
  #discountedGain = 0;

  constructor(readonly k: number) {}

  /**
   * One case: `ranked` is the recommendation list, `relevant` what the shopper actually took.
   * A hit is any relevant product in the top k; NDCG@k (binary gain, ideal DCG from
   * min(k, |relevant|) hits) rewards putting it near the top.
   */
  add(ranked: readonly string[], relevant: ReadonlySet<string>): void {
    this.#cases++;
    let dcg = 0;
    const top = ranked.slice(0, this.k);
    top.forEach((productId, rank) => {
      if (relevant.has(productId)) dcg += 1 / Math.log2(rank + 2);
    });
    if (dcg > 0) this.#hits++;
    let idealDcg = 0;
    for (let rank = 0; rank < Math.min(this.k, relevant.size); rank++) idealDcg += 1 / Math.log2(rank + 2);
    if (idealDcg > 0) this.#discountedGain += dcg / idealDcg;
  }

  get cases(): number {
    return this.#cases;
  }

  get hitRate(): number {
    return this.#cases === 0 ? 0 : this.#hits / this.#cases;
  }

  get ndcg(): number {
    return this.#cases === 0 ? 0 : this.#discountedGain / this.#cases;
  }
}

/**
 * CPU milliseconds spent in `work`. The evaluation runs on machines shared with other jobs,
 * where wall time mostly measures the neighbours; CPU time is what the algorithm costs.
 */
export function cpuMs<T>(work: () => T): { result: T; ms: number } {
  const before = process.cpuUsage();
  const result = work();
  const spent = process.cpuUsage(before);
  return { result, ms: (spent.user + spent.system) / 1000 };
}

/** CPU cost of single recommendation requests, to check the serving budget. */
export class ServingCost {
  readonly #samplesMs: number[] = [];

  time<T>(request: () => T): T {
    const { result, ms } = cpuMs(request);
    this.#samplesMs.push(ms);
    return result;
  }

  /** Nearest-rank percentile, e.g. 0.99; 0 when nothing was timed. */
  percentileMs(fraction: number): number {
    if (this.#samplesMs.length === 0) return 0;
    const sorted = [...this.#samplesMs].sort((a, b) => a - b);
    return sorted[Math.max(0, Math.ceil(fraction * sorted.length) - 1)];
  }
}
