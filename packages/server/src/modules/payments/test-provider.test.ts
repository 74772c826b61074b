import { describe, expect, it } from 'vitest';
import { WebhookRejected } from './provider.js';
import { createTestProvider, TEST_CARD_TOKENS, TEST_WEBHOOK_SIGNATURE_HEADER } from './test-provider.js';
import { checkSignature, signatureHeader, webhookSignature } from './webhook-signature.js';

const secret = 'whsec_unit';
const provider = createTestProvider(secret);
const authorise = (token: string) =>
  provider.authorise({ paymentId: 'pay_1', amount: 500, currency: 'EUR', token });
let keys = 0;
const call = (card: string, idempotencyKey = `k${++keys}`) => ({
  paymentId: 'pay_1',
  reference: `tpay_${card}`,
  data: { card },
  idempotencyKey,
});

describe('test provider', () => {
  it('answers each documented token deterministically', async () => {
    expect(await authorise('tok_visa')).toEqual({
      status: 'authorised',
      reference: 'tpay_pay_1',
      data: { card: 'tok_visa' },
    });
    expect(await authorise('tok_declined')).toMatchObject({
      status: 'declined',
      declineCode: 'card_declined',
    });
    expect(await authorise('tok_insufficient_funds')).toMatchObject({
      status: 'declined',
      declineCode: 'insufficient_funds',
    });
    expect(await authorise('tok_3ds')).toMatchObject({ status: 'requires_action', reference: 'tpay_pay_1' });
    expect(await authorise('tok_nonsense')).toMatchObject({
      status: 'declined',
      declineCode: 'invalid_token',
      reference: null,
    });
    expect(await authorise('tok_visa')).toEqual(await authorise('tok_visa'));
    expect(Object.keys(TEST_CARD_TOKENS)).toContain('tok_fail_capture');
  });

  it('forces failures for the failure tokens only', async () => {
    expect(await provider.capture({ ...call('tok_visa'), amount: 500 })).toMatchObject({ ok: true });
    expect(await provider.capture({ ...call('tok_fail_capture'), amount: 500 })).toMatchObject({ ok: false });
    expect(await provider.refund({ ...call('tok_fail_refund'), amount: 5 })).toMatchObject({ ok: false });
    expect(await provider.refund({ ...call('tok_fail_capture'), amount: 5 })).toMatchObject({ ok: true });
    expect(await provider.void(call('tok_fail_void'))).toMatchObject({ ok: false });
    expect(await provider.void(call('tok_visa'))).toMatchObject({ ok: true });
  });

  it('carries out a call once per idempotency key and replays the first answer', async () => {
    const first = await provider.refund({ ...call('tok_mastercard', 'refund-1'), amount: 5 });
    expect(await provider.refund({ ...call('tok_mastercard', 'refund-1'), amount: 5 })).toEqual(first);
    const failed = await provider.capture({ ...call('tok_fail_capture', 'capture-1'), amount: 9 });
    expect(await provider.capture({ ...call('tok_fail_capture', 'capture-1'), amount: 9 })).toEqual(failed);
    await provider.refund({ ...call('tok_mastercard', 'refund-2'), amount: 7 });
    expect(provider.carriedOut('tpay_tok_mastercard')).toEqual([
      { kind: 'refund', reference: 'tpay_tok_mastercard', idempotencyKey: 'refund-1', amount: 5, ok: true },
      { kind: 'refund', reference: 'tpay_tok_mastercard', idempotencyKey: 'refund-2', amount: 7, ok: true },
    ]);
    expect(
      provider.carriedOut('tpay_tok_fail_capture').filter((op) => op.idempotencyKey === 'capture-1'),
    ).toEqual([
      {
        kind: 'capture',
        reference: 'tpay_tok_fail_capture',
        idempotencyKey: 'capture-1',
        amount: 9,
        ok: false,
      },
    ]);
  });

  it('never answers tok_timeout until the caller gives up', async () => {
    const controller = new AbortController();
    const reason = new Error('gave up');
    let settled = false;
    const pending = provider
      .authorise(
        { paymentId: 'pay_2', amount: 500, currency: 'EUR', token: 'tok_timeout' },
        { signal: controller.signal },
      )
      .finally(() => {
        settled = true;
      });
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(settled).toBe(false);
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
  });

  it('carries out the first tok_timeout_capture capture but loses its answer; a retry gets it', async () => {
    const controller = new AbortController();
    const capture = { ...call('tok_timeout_capture', 'capture-lost'), amount: 500 };
    const lost = provider.capture(capture, { signal: controller.signal });
    controller.abort(new Error('gave up'));
    await expect(lost).rejects.toThrow('gave up');
    expect(await provider.capture(capture)).toEqual({ ok: true, reference: 'tpay_tok_timeout_capture_cap' });
    expect(await provider.refund({ ...call('tok_timeout_capture'), amount: 5 })).toMatchObject({ ok: true });
    expect(provider.carriedOut('tpay_tok_timeout_capture').map((op) => [op.kind, op.ok])).toEqual([
      ['capture', true],
      ['refund', true],
    ]);
  });
});

describe('webhook signatures', () => {
  const body = JSON.stringify({ type: 'payment.authorised', reference: 'tpay_pay_1' });
  const now = new Date('2026-01-01T00:00:00Z');
  const verify = (header: string | undefined, rawBody = body, at = now) =>
    provider.verifyWebhook({ headers: { [TEST_WEBHOOK_SIGNATURE_HEADER]: header }, rawBody, now: at });

  it('accepts a fresh, correctly signed body', () => {
    expect(verify(signatureHeader(secret, body, now))).toEqual({
      type: 'payment.authorised',
      reference: 'tpay_pay_1',
    });
    const t = Math.floor(now.getTime() / 1000);
    expect(signatureHeader(secret, body, now)).toBe(`t=${t},v1=${webhookSignature(secret, t, body)}`);
  });

  it('refuses a wrong secret, a changed body, a stale or future timestamp and garbage', () => {
    expect(() => verify(signatureHeader('other', body, now))).toThrow(WebhookRejected);
    expect(() => verify(signatureHeader(secret, body, now), body.replace('authorised', 'failed'))).toThrow(
      /mismatch/,
    );
    const sixMinutes = 6 * 60 * 1000;
    expect(() => verify(signatureHeader(secret, body, new Date(now.getTime() - sixMinutes)))).toThrow(
      /tolerance/,
    );
    expect(() => verify(signatureHeader(secret, body, new Date(now.getTime() + sixMinutes)))).toThrow(
      /tolerance/,
    );
    expect(() =>
      verify(signatureHeader(secret, body, new Date(now.getTime() - 4 * 60 * 1000))),
    ).not.toThrow();
    expect(() => verify(undefined)).toThrow(/missing/);
    expect(() => verify('t=abc,v1=zz')).toThrow(/malformed/);
    const junk = '{"type":"refund"}';
    expect(() => verify(signatureHeader(secret, junk, now), junk)).toThrow(/body must be/);
  });

  it('checkSignature compares in constant time over the exact bytes', () => {
    const header = signatureHeader(secret, 'a', now);
    expect(checkSignature(secret, header, 'a', now)).toEqual({ ok: true });
    expect(checkSignature(secret, header, 'a ', now)).toEqual({ ok: false, reason: 'signature mismatch' });
  });
});
