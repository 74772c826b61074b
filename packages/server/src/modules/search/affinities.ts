import type { Executor } from '../../db/database.js';
import type { Affinities } from './personalise.js';

export interface Shopper {
  channelId: string;
  customerId: string | null;
  /** Anonymous visitor ID from the `X-Visitor-Id` header, when the head sends one. */
  visitorId: string | null;
}

export type AffinitySource = (db: Executor, shopper: Shopper) => Promise<Affinities | null>;

let source: AffinitySource | null = null;

/**
 * The personalisation module plugs its learned affinities in here (search depends on no
 * personalisation code). Until one is registered, `sort=personalised` keeps the relevance
 * order: no affinity, no change.
 */
export function provideAffinities(next: AffinitySource | null): void {
  source = next;
}

export async function shopperAffinities(db: Executor, shopper: Shopper): Promise<Affinities | null> {
  return source ? source(db, shopper) : null;
}
