/**
 * What Merx needs from a payment provider. Amounts are integer minor units. A provider keeps
 * no state in the process: what it needs on later calls it returns as `data`, which Merx
 * stores with the payment and hands back (so any API node can capture what another authorised).
 */
export interface PaymentProvider {
  readonly id: string;
  /** Something the head needs to collect card details (a client secret, the test tokens, …). */
  createSession(input: SessionInput, options?: ProviderCallOptions): Promise<PaymentSession>;
  authorise(input: AuthoriseInput, options?: ProviderCallOptions): Promise<AuthoriseResult>;
  /** Captures `amount` ≤ the authorised amount, once; the rest of the authorisation lapses. */
  capture(input: PaymentCall & { amount: number }, options?: ProviderCallOptions): Promise<OperationResult>;
  /** Cancels an authorisation that was not captured. */
  void(input: PaymentCall, options?: ProviderCallOptions): Promise<OperationResult>;
  /** Gives back `amount` ≤ captured − refunded; may be called several times. */
  refund(input: PaymentCall & { amount: number }, options?: ProviderCallOptions): Promise<OperationResult>;
  /** Checks a webhook's signature and freshness; throws WebhookRejected when it is not genuine. */
  verifyWebhook(input: WebhookInput): WebhookEvent;
}

/**
 * Merx gives up on every call after MERX_PAYMENT_TIMEOUT_MS and aborts `signal` then; a
 * provider should drop its request on it (pass it to `fetch`). Whatever it answers after
 * that is ignored: the call's outcome is unknown, and a retry uses the same idempotency key.
 */
export interface ProviderCallOptions {
  signal: AbortSignal;
}

export interface SessionInput {
  paymentId: string;
  amount: number;
  currency: string;
}

export interface PaymentSession {
  id: string;
  /** Free-form, provider-specific: shown to the head as is. */
  details: Record<string, unknown>;
}

export interface AuthoriseInput {
  /** Merx's payment id; providers use it as their idempotency key. */
  paymentId: string;
  amount: number;
  currency: string;
  /** The card token or payment method the head collected. */
  token: string;
}

export type AuthoriseResult =
  | { status: 'authorised'; reference: string; data: Record<string, unknown> }
  | { status: 'declined'; reference: string | null; declineCode: string; message: string }
  | {
      status: 'requires_action';
      reference: string;
      data: Record<string, unknown>;
      /** What the shopper must do; the outcome arrives later by webhook. */
      nextAction: { type: string; description: string };
    };

export interface PaymentCall {
  paymentId: string;
  reference: string;
  data: Record<string, unknown>;
  /** Distinct per operation, so a retried call is not carried out twice by the provider. */
  idempotencyKey: string;
}

export type OperationResult = { ok: true; reference: string } | { ok: false; error: string };

export interface WebhookInput {
  headers: Record<string, string | string[] | undefined>;
  rawBody: string;
  now: Date;
}

export interface WebhookEvent {
  /** The outcome of an authorisation that needed the shopper's action. */
  type: 'payment.authorised' | 'payment.failed';
  reference: string;
}

export class WebhookRejected extends Error {}
