import type { LoadResult } from '../lib/load.js';
import type { BenchTarget, JourneyResult, JourneyScenario } from './types.js';

/** Units put on hand for every variant the journey buys, so a run never sells out. */
const PLENTY = 1_000_000;
/** Variants the shoppers cycle through (three per order, so orders touch different rows). */
const VARIANTS = 120;

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;

type Call = (method: string, path: string, key: string, body?: unknown) => Promise<any>;

/** Request latencies by journey step ("POST /store/v1/carts/{id}/lines"), for the per-step table. */
type StepTimes = Map<string, number[]>;

const stepOf = (method: string, path: string) =>
  `${method} ${path.replace(/\/(cart|cali)_[0-9a-z]+/g, '/{id}').replace(/\?.*$/, '')}`;

function caller(
  baseUrl: string,
  requestTimes: number[] | null,
  failures: { count: number },
  steps?: StepTimes,
): Call {
  return async (method, path, key, body) => {
    const started = performance.now();
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    const elapsed = performance.now() - started;
    requestTimes?.push(elapsed);
    if (steps) {
      const step = stepOf(method, path);
      steps.set(step, [...(steps.get(step) ?? []), elapsed]);
    }
    if (!response.ok) {
      failures.count++;
      throw new Error(`${method} ${path} → ${response.status} ${text.slice(0, 200)}`);
    }
    return text ? JSON.parse(text) : null;
  };
}

/**
 * Admin set-up before the clock: a tax region and a flat shipping option for France, the
 * web channel's reservation point, and plenty of stock at its first location for the
 * variants the journey buys (tracked stock: every order goes through the inventory ledger).
 */
async function prepareShop(target: BenchTarget, reservationPoint: string): Promise<string[]> {
  const call = caller(target.baseUrl, null, { count: 0 });
  const sk = target.secretKey;
  const channel = await call('GET', '/store/v1/channel', target.publishableKey);
  await call('PUT', `/admin/v1/inventory/channel-settings/${channel.id}`, sk, {
    reservation_point: reservationPoint,
  });
  const regions = (await call('GET', '/admin/v1/regions', sk)).data as Array<{ name: string }>;
  if (!regions.some((region) => region.name === 'Bench')) {
    const region = await call('POST', '/admin/v1/regions', sk, {
      name: 'Bench',
      currency: 'EUR',
      countries: ['FR'],
      tax_rate_bps: 2000,
      tax_inclusive: true,
    });
    await call('POST', '/admin/v1/shipping-options', sk, {
      region_id: region.id,
      name: 'Bench standard',
      kind: 'flat',
      amount: 495,
    });
  }
  const locations = (await call('GET', '/admin/v1/stock-locations', sk)).data as Array<{
    id: string;
    channel_ids: string[];
  }>;
  const location = locations.find((candidate) => candidate.channel_ids.includes(channel.id));
  if (!location) throw new Error('the web channel has no stock location: did the seed run?');
  const variantIds: string[] = [];
  for (let cursor: string | null = null; variantIds.length < VARIANTS; ) {
    const page: {
      data: Array<{ variants: Array<{ id: string; price: unknown }> }>;
      next_cursor: string | null;
    } = await call(
      'GET',
      `/store/v1/products?limit=100${cursor ? `&cursor=${cursor}` : ''}`,
      target.publishableKey,
    );
    for (const product of page.data)
      for (const variant of product.variants)
        if (variant.price && variantIds.length < VARIANTS) variantIds.push(variant.id);
    cursor = page.next_cursor;
    if (!cursor) break;
  }
  for (const variantId of variantIds)
    await call('PUT', `/admin/v1/inventory/variants/${variantId}/levels/${location.id}`, sk, {
      on_hand: PLENTY,
      reason: 'received',
    });
  return variantIds;
}

/** Where the bench's shoppers ship to: France, the region the shop set-up adds. */
export const ADDRESS = {
  first_name: 'Ada',
  last_name: 'Lovelace',
  line1: '12 Rue de Rivoli',
  city: 'Paris',
  postal_code: '75001',
  country: 'FR',
};

/**
 * A head's whole checkout, 8 requests: create a cart, add 3 lines, set the address, read
 * the shipping options, choose one, check out with the test provider's `tok_visa`
 * (authorise + capture).
 */
function checkoutJourney(name: string, reservationPoint: string, description: string): JourneyScenario {
  return {
    kind: 'journey',
    name,
    description,
    async prepare(target) {
      const variantIds = await prepareShop(target, reservationPoint);
      const pk = target.publishableKey;
      return {
        async drive({ durationS, connections }): Promise<JourneyResult> {
          const requestTimes: number[] = [];
          const failures = { count: 0 };
          const steps: StepTimes = new Map();
          const call = caller(target.baseUrl, requestTimes, failures, steps);
          const orderTimes: number[] = [];
          let next = 0;
          let firstError = '';
          const deadline = performance.now() + durationS * 1000;
          const shopper = async () => {
            while (performance.now() < deadline) {
              const started = performance.now();
              try {
                const cart = await call('POST', '/store/v1/carts', pk, { email: 'bench@example.com' });
                for (let line = 0; line < 3; line++)
                  await call('POST', `/store/v1/carts/${cart.id}/lines`, pk, {
                    variant_id: variantIds[next++ % variantIds.length],
                    quantity: 1,
                  });
                await call('PATCH', `/store/v1/carts/${cart.id}`, pk, { shipping_address: ADDRESS });
                const options = await call('GET', `/store/v1/carts/${cart.id}/shipping-options`, pk);
                await call('PATCH', `/store/v1/carts/${cart.id}`, pk, {
                  shipping_option_id: options.data[0].id,
                });
                await call('POST', `/store/v1/carts/${cart.id}/checkout`, pk, {
                  payment: { provider: 'test', token: 'tok_visa' },
                });
                orderTimes.push(performance.now() - started);
              } catch (error) {
                firstError ||= error instanceof Error ? error.message : String(error);
              }
            }
          };
          const started = performance.now();
          await Promise.all(Array.from({ length: connections }, shopper));
          const seconds = (performance.now() - started) / 1000;
          if (firstError) console.error(`${name}: first error: ${firstError}`);
          orderTimes.sort((a, b) => a - b);
          requestTimes.sort((a, b) => a - b);
          const sortedSteps = [...steps].map(([step, times]) => {
            times.sort((a, b) => a - b);
            return { step, count: times.length, p50Ms: percentile(times, 50), p99Ms: percentile(times, 99) };
          });
          const load: LoadResult = {
            requestsPerSecond: requestTimes.length / seconds,
            p50Ms: percentile(requestTimes, 50),
            p99Ms: percentile(requestTimes, 99),
            maxMs: requestTimes.at(-1) ?? 0,
            total: requestTimes.length,
            errors: 0,
            non2xx: failures.count,
          };
          return {
            ...load,
            journeys: {
              label: 'orders',
              total: orderTimes.length,
              perSecond: orderTimes.length / seconds,
              p50Ms: percentile(orderTimes, 50),
              p99Ms: percentile(orderTimes, 99),
            },
            steps: sortedSteps,
          };
        },
      };
    },
  };
}

export const checkout = checkoutJourney(
  'checkout',
  'at_checkout',
  'Write path, 8 requests per order: cart, 3 lines, address, shipping options, choose, checkout with tok_visa; stock reserved at checkout',
);

export const checkoutWithHolds = checkoutJourney(
  'checkout-holds',
  'at_add_to_cart',
  'The same journey on a channel that holds stock at add-to-cart (every line write takes a TTL hold)',
);
