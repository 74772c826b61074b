import autocannon, { type Options, type Result } from 'autocannon';

export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  total: number;
  errors: number;
  non2xx: number;
}

export async function runLoad(options: Options): Promise<LoadResult> {
  const result: Result = await autocannon({ timeout: 10, ...options });
  return {
    // Completed requests over the run, not autocannon's mean of 1-second samples (which
    // under-counts when a sample window is empty at the start or the end).
    requestsPerSecond: result.requests.total / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
    total: result.requests.total,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}
