import { ApiError } from '../../http/problem.js';
import { checkPaymentTimeout, DEFAULT_PAYMENT_TIMEOUT_MS, withDeadline } from './deadline.js';
import type { PaymentProvider } from './provider.js';
import { createTestProvider } from './test-provider.js';

/**
 * Provider settings come from the environment (read once):
 * - `MERX_TEST_PAYMENTS=off` removes the `test` provider (do this in production: its
 *   `tok_visa` always succeeds).
 * - `MERX_TEST_PAYMENTS_WEBHOOK_SECRET` signs the test provider's webhooks. The default is
 *   public, which is harmless only because the test provider moves no money.
 */
export const DEFAULT_TEST_WEBHOOK_SECRET = 'whsec_merx_test';

export function testWebhookSecret(env: NodeJS.ProcessEnv = process.env): string {
  return env.MERX_TEST_PAYMENTS_WEBHOOK_SECRET || DEFAULT_TEST_WEBHOOK_SECRET;
}

let callTimeoutMs = DEFAULT_PAYMENT_TIMEOUT_MS;

/** The app's settings for provider calls (`MERX_PAYMENT_TIMEOUT_MS`), checked at start-up. */
export function configurePaymentCalls(settings: { timeoutMs: number }): void {
  callTimeoutMs = checkPaymentTimeout(settings.timeoutMs);
}

function buildProviders(env: NodeJS.ProcessEnv): Map<string, PaymentProvider> {
  const enabled: PaymentProvider[] = [];
  if (env.MERX_TEST_PAYMENTS !== 'off') enabled.push(createTestProvider(testWebhookSecret(env)));
  // Every provider is handed out bounded, so no call path can forget the deadline.
  return new Map(enabled.map((provider) => [provider.id, withDeadline(provider, () => callTimeoutMs)]));
}

let providers: Map<string, PaymentProvider> | null = null;

export function getPaymentProvider(id: string): PaymentProvider {
  providers ??= buildProviders(process.env);
  const provider = providers.get(id);
  if (!provider) {
    throw new ApiError(422, 'unknown_payment_provider', `No payment provider ${id} is enabled`, {
      errors: [
        { field: '/body/payment/provider', message: `must be one of: ${[...providers.keys()].join(', ')}` },
      ],
    });
  }
  return provider;
}
