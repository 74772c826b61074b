export interface RetryPolicy {
  /** Further attempts after the first (0 disables retrying). */
  retries: number;
  /** First back-off; each retry doubles it, with full jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 3, baseDelayMs: 200, maxDelayMs: 5_000 };

/**
 * Methods whose retry cannot do a thing twice: the safe and idempotent HTTP methods, and POST
 * because it always carries an `Idempotency-Key` (the server replays the first answer).
 * PATCH is left out: carts guard it with `If-Match` instead, and a blind retry would conflict.
 */
const RETRYABLE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'POST']);
const RETRYABLE_STATUSES = new Set([500, 502, 503, 504]);

/** 128 random bits as hex; crypto.getRandomValues exists in Node 20 and in every browser context. */
export function newIdempotencyKey(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

export function backoffDelay(attempt: number, policy: RetryPolicy, random = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.round(random() * ceiling);
}

/** Resolves after `ms`, or rejects as soon as `signal` aborts. */
export const sleep = (ms: number, signal?: AbortSignal | null) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

function retryAfterMs(response: Response, policy: RetryPolicy): number | null {
  const header = response.headers.get('retry-after');
  if (!header || !/^\d+$/.test(header)) return null;
  return Math.min(policy.maxDelayMs, Number(header) * 1000);
}

/**
 * Wraps `fetch` for the API clients: a POST gets one `Idempotency-Key` for the logical call
 * (unless the caller set one), and network errors and 5xx answers are retried with
 * exponential back-off and jitter, every attempt carrying the same key.
 */
export function resilientFetch(
  baseFetch: (request: Request) => Promise<Response>,
  policy: RetryPolicy = DEFAULT_RETRY,
): (request: Request) => Promise<Response> {
  return async (input) => {
    let request = input;
    if (request.method === 'POST' && !request.headers.has('idempotency-key')) {
      const headers = new Headers(request.headers);
      headers.set('idempotency-key', newIdempotencyKey());
      request = new Request(request, { headers });
    }
    const retryable = RETRYABLE_METHODS.has(request.method);
    for (let attempt = 0; ; attempt++) {
      const last = !retryable || attempt >= policy.retries;
      let response: Response;
      try {
        response = await baseFetch(last ? request : request.clone());
      } catch (error) {
        if (last || request.signal.aborted) throw error;
        await sleep(backoffDelay(attempt, policy), request.signal);
        continue;
      }
      if (last || !RETRYABLE_STATUSES.has(response.status)) return response;
      const wait = retryAfterMs(response, policy) ?? backoffDelay(attempt, policy);
      await response.body?.cancel();
      await sleep(wait, request.signal);
    }
  };
}
