import type { Options } from 'autocannon';
import type { LoadResult } from '../lib/load.js';

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
 * One measured workload driven by autocannon. `prepare` runs before the clock starts (fetch
 * handles, cursors…) and returns the request mix; keep it cheap, it is not timed.
 */
export interface RequestScenario {
  kind?: 'requests';
  name: string;
  description: string;
  prepare(target: BenchTarget): Promise<Pick<Options, 'requests' | 'method' | 'headers' | 'body'>>;
}

/** What a journey scenario reports beyond the per-request load figures. */
export interface JourneyResult extends LoadResult {
  /** Completed journeys (e.g. orders placed) and their own latency. */
  journeys: { total: number; perSecond: number; p50Ms: number; p99Ms: number; label: string };
  /** Latency per kind of request in the journey: under load, a step's share of the time. */
  steps: Array<{ step: string; count: number; p50Ms: number; p99Ms: number }>;
}

/**
 * A workload whose requests depend on earlier answers (a cart's ID, its shipping options),
 * which autocannon's fixed request lists cannot express: each of `connections` shoppers runs
 * the journey in a loop for `durationS` seconds over keep-alive fetch.
 */
export interface JourneyScenario {
  kind: 'journey';
  name: string;
  description: string;
  prepare(target: BenchTarget): Promise<{
    drive(options: { durationS: number; connections: number }): Promise<JourneyResult>;
  }>;
}

export type Scenario = RequestScenario | JourneyScenario;

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
