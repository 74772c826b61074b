-- One payment per order attempt, with what the provider authorised, captured and refunded.
CREATE TABLE payments (
  id text PRIMARY KEY,
  -- Null once a declined attempt's order is gone: the attempt itself stays on record.
  order_id text REFERENCES orders (id) ON DELETE SET NULL,
  cart_id text NOT NULL,
  channel_id text NOT NULL,
  provider text NOT NULL,
  provider_reference text,
  -- Whatever the provider needs back on later calls (its own ids, the card kind, …).
  provider_data jsonb NOT NULL DEFAULT '{}',
  currency char(3) NOT NULL,
  amount bigint NOT NULL CHECK (amount >= 0),
  captured_amount bigint NOT NULL DEFAULT 0,
  refunded_amount bigint NOT NULL DEFAULT 0,
  status text NOT NULL CHECK (status IN ('pending', 'requires_action', 'authorised', 'declined', 'failed',
    'captured', 'partially_refunded', 'refunded', 'voided')),
  decline_code text,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (captured_amount <= amount),
  CHECK (refunded_amount <= captured_amount)
);
CREATE UNIQUE INDEX payments_provider_reference ON payments (provider, provider_reference)
  WHERE provider_reference IS NOT NULL;
CREATE INDEX payments_order ON payments (order_id);
CREATE INDEX payments_status ON payments (status, created_at);

-- Every call made to a provider, succeeded or failed: the money trail.
CREATE TABLE payment_operations (
  id text PRIMARY KEY,
  payment_id text NOT NULL REFERENCES payments (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('authorise', 'capture', 'void', 'refund', 'webhook')),
  amount bigint NOT NULL DEFAULT 0,
  succeeded boolean NOT NULL,
  provider_reference text,
  error text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX payment_operations_payment ON payment_operations (payment_id, id);
