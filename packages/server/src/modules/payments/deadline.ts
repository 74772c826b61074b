import type { PaymentProvider, ProviderCallOptions } from './provider.js';

/**
 * A pending capture, refund or void older than this lost its process and may be taken over
 * (retried with the same idempotency key) by another.
 */
export const PENDING_OPERATION_TIMEOUT_SECONDS = 120;

export const DEFAULT_PAYMENT_TIMEOUT_MS = 15_000;

/**
 * The deadline is bounded by the take-over age rather than the take-over age derived from
 * the deadline: the take-over age is the operation log's own contract (every node, and the
 * sweep, must agree on it whatever each node's setting), while the deadline is a per-node
 * setting. Half of it leaves room for what happens between writing the pending operation
 * (its `attempted_at` is the database's clock) and the call starting, and for clocks that
 * drift apart, so an operation is never taken over while its first call may still run.
 */
export const LONGEST_PAYMENT_TIMEOUT_MS = (PENDING_OPERATION_TIMEOUT_SECONDS * 1000) / 2;

/** Refuses, at start-up, a deadline that would let a running call be taken over. */
export function checkPaymentTimeout(timeoutMs: number): number {
  if (!Number.isSafeInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > LONGEST_PAYMENT_TIMEOUT_MS) {
    throw new Error(
      `MERX_PAYMENT_TIMEOUT_MS must be between 1 and ${LONGEST_PAYMENT_TIMEOUT_MS} (half the ${PENDING_OPERATION_TIMEOUT_SECONDS} s after which a pending payment operation is taken over), got ${timeoutMs}`,
    );
  }
  return timeoutMs;
}

/** The provider gave no answer in time: whether it carried the call out is unknown. */
export class PaymentProviderTimeout extends Error {
  constructor(
    readonly call: string,
    readonly timeoutMs: number,
  ) {
    super(`no answer to the ${call} within ${timeoutMs} ms`);
  }
}

/**
 * Runs `call` and gives up after `timeoutMs`: the signal handed to the provider is aborted (so
 * it can drop its request) and the caller gets a PaymentProviderTimeout. The timer is cleared
 * however the race ends, and an answer or failure arriving after the deadline is dropped.
 */
export async function underDeadline<T>(
  callName: string,
  timeoutMs: number,
  call: (options: ProviderCallOptions) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const timeout = new PaymentProviderTimeout(callName, timeoutMs);
      controller.abort(timeout);
      reject(timeout);
    }, timeoutMs);
    timer.unref();
  });
  const answer = Promise.resolve().then(() => call({ signal: controller.signal }));
  // Nobody awaits the answer once the deadline won; its late failure is expected, not a crash.
  answer.catch(() => {});
  try {
    return await Promise.race([answer, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The provider with its five calls under the deadline `timeoutMs()` gives at call time. Its
 * other own members (a test provider's `carriedOut`) are kept as they are.
 */
export function withDeadline<P extends PaymentProvider>(provider: P, timeoutMs: () => number): P {
  return {
    ...provider,
    id: provider.id,
    verifyWebhook: (input) => provider.verifyWebhook(input),
    createSession: (input) =>
      underDeadline('session', timeoutMs(), (options) => provider.createSession(input, options)),
    authorise: (input) =>
      underDeadline('authorisation', timeoutMs(), (options) => provider.authorise(input, options)),
    capture: (input) => underDeadline('capture', timeoutMs(), (options) => provider.capture(input, options)),
    void: (input) => underDeadline('void', timeoutMs(), (options) => provider.void(input, options)),
    refund: (input) => underDeadline('refund', timeoutMs(), (options) => provider.refund(input, options)),
  };
}
