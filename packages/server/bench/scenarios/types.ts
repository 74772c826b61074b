import type { Options } from 'autocannon';

/** What a scenario learns about the running server before the load starts. */
export interface BenchTarget {
  baseUrl: string;
  /** Publishable key of the demo web channel. */
  publishableKey: string;
  /** Secret key with every scope (write scenarios may need admin calls to prepare). */
  secretKey: string;
  /** GET a JSON path with the publishable key; throws on a non-2xx answer. */
  store<T = unknown>(path: string): Promise<T>;
}

/**
 * One measured workload. `prepare` runs before the clock starts (fetch handles, cursors,
 * create carts…) and returns the autocannon request mix; keep it cheap, it is not timed.
 * A write-path scenario (cart, lines, address, shipping, checkout) is one more file that
 * returns a multi-step `requests` array.
 */
export interface Scenario {
  name: string;
  description: string;
  prepare(target: BenchTarget): Promise<Pick<Options, 'requests' | 'method' | 'headers' | 'body'>>;
}

/** Rotates through paths so a run hits many rows, not one hot row. */
export function rotate(paths: readonly string[]) {
  if (paths.length === 0) throw new Error('nothing to rotate through');
  let next = 0;
  return [
    {
      setupRequest(request: { path?: string }) {
        request.path = paths[next++ % paths.length];
        return request;
      },
    },
  ];
}
