-- Admin-managed webhook endpoints; their deliveries live in the event queue
-- (event_deliveries, consumer = 'webhook:<endpoint id>').
CREATE TABLE webhook_endpoints (
  id text PRIMARY KEY,
  url text NOT NULL,
  description text NOT NULL DEFAULT '',
  -- Exact types (`order.placed`), a family (`order.*`) or everything (`*`).
  event_types text[] NOT NULL CHECK (cardinality(event_types) > 0),
  -- Kept in clear: signing needs it. Shown to the admin once, at creation.
  secret text NOT NULL,
  enabled boolean NOT NULL DEFAULT true,
  -- Events after this outbox seq are delivered (the outbox position at creation).
  start_seq bigint NOT NULL,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_endpoints_enabled ON webhook_endpoints (id) WHERE enabled;
