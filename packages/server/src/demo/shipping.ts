import type { Db } from '../db/database.js';
import { createPromotion } from '../modules/promotions/service.js';
import { createShippingOption } from '../modules/shipping/options.js';
import { createRegion } from '../modules/shipping/regions.js';

/**
 * What a first-run shop needs to take an order end to end: tax regions, shipping options
 * and a welcome code. Only `merx start`'s first run adds it (tests bring their own).
 */
export async function seedDemoCheckoutSettings(db: Db): Promise<void> {
  const europe = await createRegion(db, {
    name: 'Europe',
    currency: 'EUR',
    countries: ['AT', 'BE', 'DE', 'ES', 'FR', 'IE', 'IT', 'NL', 'PT'],
    tax_rate_bps: 2000,
    tax_overrides: [{ country: 'DE', province: null, tax_rate_bps: 1900 }],
    tax_inclusive: true,
  });
  await createShippingOption(db, {
    region_id: europe.id,
    name: 'Standard (3–5 days), free over €50',
    kind: 'free_over',
    amount: 495,
    threshold: 5000,
  });
  await createShippingOption(db, {
    region_id: europe.id,
    name: 'Express (next day)',
    kind: 'flat',
    amount: 1290,
  });
  const us = await createRegion(db, {
    name: 'United States',
    currency: 'USD',
    countries: ['US'],
    tax_rate_bps: 0,
    tax_inclusive: false,
  });
  await createShippingOption(db, { region_id: us.id, name: 'Ground (5–7 days)', kind: 'flat', amount: 799 });
  await createPromotion(db, {
    name: 'Welcome 10 %',
    code: 'WELCOME10',
    kind: 'percentage',
    value: 1000,
  } as never);
}
