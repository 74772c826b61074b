/**
 * How long a node may serve configuration it read earlier (promotions on offer, regions,
 * shipping options, reservation settings) to cart writes and reads. Every cart write needs
 * all of them and they change a few times a day, so re-reading them was a tenth of an order's
 * SQL round trips. A change made on this node is seen at once (the writer invalidates); other
 * nodes see it within this time. Checkout always reads them fresh.
 */
export const CONFIG_MEMO_TTL_MS = 2_000;

/**
 * Writers invalidate inside their transaction, before it commits; reads in the next moment
 * may still see the old rows, so for this long after an invalidation nothing is kept.
 */
const QUIET_AFTER_INVALIDATION_MS = 1_000;

/**
 * A per-node read-through memo of configuration rows. A load that started before an
 * invalidation, or finished just after one, is not stored: a write is never hidden by a
 * read that raced its commit.
 */
export class ConfigMemo<V> {
  readonly #entries = new Map<string, { value: V; expires: number }>();
  #generation = 0;
  #quietUntil = 0;

  constructor(
    private readonly ttlMs = CONFIG_MEMO_TTL_MS,
    private readonly maxEntries = 1_000,
  ) {}

  async read(key: string, load: () => Promise<V>): Promise<V> {
    const entry = this.#entries.get(key);
    if (entry && entry.expires > Date.now()) return entry.value;
    const generation = this.#generation;
    const value = await load();
    if (generation === this.#generation && Date.now() >= this.#quietUntil) {
      if (this.#entries.size >= this.maxEntries) this.#entries.clear();
      this.#entries.set(key, { value, expires: Date.now() + this.ttlMs });
    }
    return value;
  }

  /** Called by every write of the configuration, inside or outside a transaction. */
  invalidate(): void {
    this.#generation++;
    this.#quietUntil = Date.now() + QUIET_AFTER_INVALIDATION_MS;
    this.#entries.clear();
  }
}
