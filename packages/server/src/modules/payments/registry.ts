import { ApiError } from '../../http/problem.js';
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

function buildProviders(env: NodeJS.ProcessEnv): Map<string, PaymentProvider> {
  const providers = new Map<string, PaymentProvider>();
  if (env.MERX_TEST_PAYMENTS !== 'off') providers.set('test', createTestProvider(testWebhookSecret(env)));
  return providers;
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
