-- Per-channel checkout policy. A channel without a row captures automatically.
CREATE TABLE checkout_channel_settings (
  channel_id text PRIMARY KEY REFERENCES channels (id) ON DELETE CASCADE,
  capture_mode text NOT NULL DEFAULT 'automatic' CHECK (capture_mode IN ('automatic', 'manual')),
  version integer NOT NULL DEFAULT 1,
  updated_at timestamptz NOT NULL DEFAULT now()
);
