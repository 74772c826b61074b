import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../config.js';
import {
  checkPaymentTimeout,
  LONGEST_PAYMENT_TIMEOUT_MS,
  PaymentProviderTimeout,
  PENDING_OPERATION_TIMEOUT_SECONDS,
  underDeadline,
  withDeadline,
} from './deadline.js';
import type { ProviderCallOptions } from './provider.js';
import { createTestProvider } from './test-provider.js';

afterEach(() => vi.useRealTimers());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('underDeadline', () => {
  it('returns an answer that comes in time and leaves no timer behind', async () => {
    vi.useFakeTimers();
    let signal: AbortSignal | undefined;
    const answer = await underDeadline('capture', 1000, async (options) => {
      signal = options.signal;
      return 'captured';
    });
    expect(answer).toBe('captured');
    expect(vi.getTimerCount()).toBe(0);
    expect(signal?.aborted).toBe(false);
  });

  it('gives up at the deadline, aborts the call with the timeout as reason, and clears its timer', async () => {
    vi.useFakeTimers();
    let signal: AbortSignal | undefined;
    const pending = underDeadline('authorisation', 200, (options) => {
      signal = options.signal;
      return new Promise<never>(() => {});
    });
    const outcome = pending.then(
      () => null,
      (error: unknown) => error,
    );
    await vi.advanceTimersByTimeAsync(199);
    expect(signal?.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const error = await outcome;
    expect(error).toBeInstanceOf(PaymentProviderTimeout);
    expect(error).toMatchObject({ call: 'authorisation', timeoutMs: 200 });
    expect((error as Error).message).toBe('no answer to the authorisation within 200 ms');
    expect(signal?.reason).toBe(error);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('drops an answer or a failure that arrives after the deadline, without an unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const late = (outcome: 'answer' | 'failure') =>
        underDeadline('refund', 10, async () => {
          await sleep(40);
          if (outcome === 'failure') throw new Error('connection reset, too late');
          return 'refunded';
        });
      await expect(late('failure')).rejects.toBeInstanceOf(PaymentProviderTimeout);
      await expect(late('answer')).rejects.toBeInstanceOf(PaymentProviderTimeout);
      await sleep(80);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('passes on a failure that comes in time, including one thrown before any promise', async () => {
    vi.useFakeTimers();
    await expect(
      underDeadline('void', 1000, async () => {
        throw new Error('connection refused');
      }),
    ).rejects.toThrow('connection refused');
    await expect(
      underDeadline('void', 1000, () => {
        throw new Error('bad request');
      }),
    ).rejects.toThrow('bad request');
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('the payment timeout setting', () => {
  it('comes from MERX_PAYMENT_TIMEOUT_MS, 15 s by default', () => {
    expect(loadConfig({}).paymentTimeoutMs).toBe(15_000);
    expect(loadConfig({ MERX_PAYMENT_TIMEOUT_MS: '2500' }).paymentTimeoutMs).toBe(2500);
  });

  it('is refused when a timed-out call could still run once its pending operation is taken over', () => {
    expect(LONGEST_PAYMENT_TIMEOUT_MS * 2).toBe(PENDING_OPERATION_TIMEOUT_SECONDS * 1000);
    expect(checkPaymentTimeout(15_000)).toBe(15_000);
    expect(checkPaymentTimeout(LONGEST_PAYMENT_TIMEOUT_MS)).toBe(LONGEST_PAYMENT_TIMEOUT_MS);
    expect(() => checkPaymentTimeout(LONGEST_PAYMENT_TIMEOUT_MS + 1)).toThrow(/MERX_PAYMENT_TIMEOUT_MS/);
    expect(() => checkPaymentTimeout(PENDING_OPERATION_TIMEOUT_SECONDS * 1000)).toThrow();
    expect(() => checkPaymentTimeout(0)).toThrow();
  });
});

describe('withDeadline', () => {
  it('bounds every call of a provider and keeps its other members', async () => {
    const inner = createTestProvider('whsec_unit');
    let timeoutMs = 1000;
    const bounded = withDeadline(inner, () => timeoutMs);
    const seen: Array<ProviderCallOptions | undefined> = [];
    const authorise = inner.authorise;
    inner.authorise = (input, options) => {
      seen.push(options);
      return authorise(input, options);
    };

    const input = { paymentId: 'pay_1', amount: 500, currency: 'EUR' };
    expect(await bounded.authorise({ ...input, token: 'tok_visa' })).toMatchObject({ status: 'authorised' });
    expect(seen[0]?.signal).toBeInstanceOf(AbortSignal);
    // The deadline is read per call, so the app's setting applies to a provider built before it.
    timeoutMs = 20;
    await expect(bounded.authorise({ ...input, token: 'tok_timeout' })).rejects.toBeInstanceOf(
      PaymentProviderTimeout,
    );
    expect(seen[1]?.signal.aborted).toBe(true);

    const call = { paymentId: 'pay_1', reference: 'tpay_pay_1', data: { card: 'tok_visa' } };
    await bounded.capture({ ...call, idempotencyKey: 'c1', amount: 500 });
    await bounded.refund({ ...call, idempotencyKey: 'r1', amount: 100 });
    await bounded.void({ ...call, idempotencyKey: 'v1' });
    expect(bounded.carriedOut().map((op) => op.kind)).toEqual(['capture', 'refund', 'void']);
    expect(bounded.id).toBe('test');
    expect(await bounded.createSession({ paymentId: 'pay_1', amount: 500, currency: 'EUR' })).toMatchObject({
      id: 'tpsess_pay_1',
    });
  });
});
