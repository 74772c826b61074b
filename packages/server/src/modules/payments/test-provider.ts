import {
  type AuthoriseResult,
  type OperationResult,
  type PaymentCall,
  type PaymentProvider,
  type ProviderCallOptions,
  type WebhookEvent,
  WebhookRejected,
} from './provider.js';
import { checkSignature } from './webhook-signature.js';

/**
 * The built-in `test` provider: no network, no money, fully deterministic. The outcome is
 * chosen by the card token the head sends:
 */
export const TEST_CARD_TOKENS = {
  tok_visa: 'authorised, captures and refunds normally',
  tok_mastercard: 'authorised, captures and refunds normally',
  tok_declined: 'declined (decline code card_declined)',
  tok_insufficient_funds: 'declined (decline code insufficient_funds)',
  tok_3ds: 'needs the shopper’s confirmation: stays pending until a signed webhook reports the outcome',
  tok_fail_capture: 'authorised, but every capture fails (the order stays authorised)',
  tok_fail_refund: 'authorised and captured, but every refund fails',
  tok_fail_void: 'authorised, but voiding fails',
  tok_timeout: 'the authorisation never answers (Merx gives up after MERX_PAYMENT_TIMEOUT_MS)',
  tok_timeout_capture:
    'authorised; the first capture is carried out but its answer never arrives, a retry with the same idempotency key gets it',
} as const;
export type TestCardToken = keyof typeof TEST_CARD_TOKENS;

export const TEST_WEBHOOK_SIGNATURE_HEADER = 'merx-signature';

const isTestToken = (token: string): token is TestCardToken => Object.hasOwn(TEST_CARD_TOKENS, token);
const cardOf = (data: Record<string, unknown>) => String(data.card ?? '');

/** A provider that does not answer: settles only when the caller gives up, with its reason. */
function noAnswer(options?: ProviderCallOptions): Promise<never> {
  return new Promise((_, reject) => {
    const signal = options?.signal;
    if (!signal) return;
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

/** An operation the test provider carried out (a replayed idempotency key adds none). */
export interface TestProviderOperation {
  kind: 'capture' | 'void' | 'refund';
  reference: string;
  idempotencyKey: string;
  amount: number;
  ok: boolean;
}

export interface TestPaymentProvider extends PaymentProvider {
  /** What was carried out, oldest first: tests count provider calls with it. */
  carriedOut(reference?: string): TestProviderOperation[];
}

// Like a real provider, the test provider keeps idempotency keys for a while, not forever.
const REMEMBERED_KEYS = 10_000;

export function createTestProvider(webhookSecret: string): TestPaymentProvider {
  const fails = (
    data: Record<string, unknown>,
    card: TestCardToken,
    error: string,
  ): OperationResult | null => (cardOf(data) === card ? { ok: false, error } : null);
  const answers = new Map<string, OperationResult>();
  const log: TestProviderOperation[] = [];
  /** A call with a key seen before gets the first answer again and is not carried out twice. */
  const once = (
    kind: TestProviderOperation['kind'],
    call: PaymentCall & { amount?: number },
    carryOut: () => OperationResult,
  ): OperationResult => {
    const known = answers.get(call.idempotencyKey);
    if (known) return known;
    const result = carryOut();
    answers.set(call.idempotencyKey, result);
    if (answers.size > REMEMBERED_KEYS) answers.delete(answers.keys().next().value as string);
    log.push({
      kind,
      reference: call.reference,
      idempotencyKey: call.idempotencyKey,
      amount: call.amount ?? 0,
      ok: result.ok,
    });
    if (log.length > REMEMBERED_KEYS) log.shift();
    return result;
  };
  return {
    carriedOut: (reference) =>
      log.filter((entry) => reference === undefined || entry.reference === reference),
    id: 'test',
    async createSession({ paymentId }) {
      return { id: `tpsess_${paymentId}`, details: { tokens: TEST_CARD_TOKENS } };
    },
    async authorise({ paymentId, token }, options): Promise<AuthoriseResult> {
      const reference = `tpay_${paymentId}`;
      if (!isTestToken(token)) {
        return {
          status: 'declined',
          reference: null,
          declineCode: 'invalid_token',
          message: `Unknown test card token ${token}`,
        };
      }
      if (token === 'tok_declined') {
        return {
          status: 'declined',
          reference,
          declineCode: 'card_declined',
          message: 'The card was declined',
        };
      }
      if (token === 'tok_insufficient_funds') {
        return {
          status: 'declined',
          reference,
          declineCode: 'insufficient_funds',
          message: 'The card has insufficient funds',
        };
      }
      if (token === 'tok_timeout') return noAnswer(options);
      if (token === 'tok_3ds') {
        return {
          status: 'requires_action',
          reference,
          data: { card: token },
          nextAction: {
            type: 'await_webhook',
            description: `Confirm with a signed POST /payments/test/webhook {"type":"payment.authorised","reference":"${reference}"}`,
          },
        };
      }
      return { status: 'authorised', reference, data: { card: token } };
    },
    async capture(call, options) {
      const retried = answers.has(call.idempotencyKey);
      const result = once(
        'capture',
        call,
        () =>
          fails(call.data, 'tok_fail_capture', 'The test card refuses captures') ?? {
            ok: true,
            reference: `${call.reference}_cap`,
          },
      );
      // Carried out, but the answer is lost on its way back: only a retry learns the outcome.
      if (!retried && cardOf(call.data) === 'tok_timeout_capture') return noAnswer(options);
      return result;
    },
    async void(call) {
      return once(
        'void',
        call,
        () =>
          fails(call.data, 'tok_fail_void', 'The test card refuses voids') ?? {
            ok: true,
            reference: `${call.reference}_void`,
          },
      );
    },
    async refund(call) {
      return once(
        'refund',
        call,
        () =>
          fails(call.data, 'tok_fail_refund', 'The test card refuses refunds') ?? {
            ok: true,
            reference: `${call.reference}_ref_${call.idempotencyKey}`,
          },
      );
    },
    verifyWebhook({ headers, rawBody, now }): WebhookEvent {
      const header = headers[TEST_WEBHOOK_SIGNATURE_HEADER];
      const check = checkSignature(webhookSecret, Array.isArray(header) ? header[0] : header, rawBody, now);
      if (!check.ok) throw new WebhookRejected(check.reason);
      let body: unknown;
      try {
        body = JSON.parse(rawBody);
      } catch {
        throw new WebhookRejected('body is not JSON');
      }
      const { type, reference } = (body ?? {}) as Record<string, unknown>;
      if ((type !== 'payment.authorised' && type !== 'payment.failed') || typeof reference !== 'string') {
        throw new WebhookRejected(
          'body must be {"type":"payment.authorised"|"payment.failed","reference":"tpay_…"}',
        );
      }
      return { type, reference };
    },
  };
}
