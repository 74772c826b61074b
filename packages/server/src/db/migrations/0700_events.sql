-- Transactional outbox: written in the same transaction as the change it describes.
CREATE TABLE events (
  seq bigserial PRIMARY KEY,
  id text NOT NULL UNIQUE,
  type text NOT NULL,
  resource_type text NOT NULL,
  resource_id text NOT NULL,
  channel_id text,
  customer_id text,
  data jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX events_type_seq ON events (type, seq);
CREATE INDEX events_resource_seq ON events (resource_id, seq);
CREATE INDEX events_customer_seq ON events (customer_id, seq) WHERE customer_id IS NOT NULL;
