-- Regions: a set of countries sharing a currency, tax rules and shipping options.
CREATE TABLE regions (
  id text PRIMARY KEY,
  name text NOT NULL,
  currency char(3) NOT NULL,
  -- Basis points: 2000 = 20 %. Applies unless an override for the country/province matches.
  tax_rate_bps integer NOT NULL CHECK (tax_rate_bps BETWEEN 0 AND 10000),
  -- [{ "country": "DE", "province": null, "tax_rate_bps": 700 }, …]
  tax_overrides jsonb NOT NULL DEFAULT '[]',
  -- True when catalog prices in this region already include tax (EU style).
  tax_inclusive boolean NOT NULL DEFAULT false,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- A country belongs to at most one region, so an address always resolves to one tax rule.
CREATE TABLE region_countries (
  country char(2) PRIMARY KEY,
  region_id text NOT NULL REFERENCES regions (id) ON DELETE CASCADE
);
CREATE INDEX region_countries_region ON region_countries (region_id);

CREATE TABLE shipping_options (
  id text PRIMARY KEY,
  region_id text NOT NULL REFERENCES regions (id) ON DELETE CASCADE,
  name text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('flat', 'free_over', 'weight')),
  -- Minor units of the region's currency. Flat and free_over charge `amount`; free_over
  -- charges nothing from `threshold` (merchandise after discounts) up.
  amount bigint CHECK (amount >= 0),
  threshold bigint CHECK (threshold >= 0),
  -- [{ "up_to_grams": 1000, "amount": 495 }, { "up_to_grams": null, "amount": 1295 }]
  weight_brackets jsonb,
  active boolean NOT NULL DEFAULT true,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (
    (kind = 'flat' AND amount IS NOT NULL AND threshold IS NULL AND weight_brackets IS NULL) OR
    (kind = 'free_over' AND amount IS NOT NULL AND threshold IS NOT NULL AND weight_brackets IS NULL) OR
    (kind = 'weight' AND amount IS NULL AND threshold IS NULL AND weight_brackets IS NOT NULL)
  )
);
CREATE INDEX shipping_options_region ON shipping_options (region_id, id);
