CREATE TABLE channels (
  id text PRIMARY KEY,
  name text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('web', 'mobile', 'social', 'voice', 'iot', 'pos', 'marketplace', 'other')),
  default_currency char(3) NOT NULL,
  currencies text[] NOT NULL,
  locale text NOT NULL DEFAULT 'en',
  head_profile text NOT NULL DEFAULT 'full' CHECK (head_profile IN ('full', 'compact', 'speakable')),
  metadata jsonb NOT NULL DEFAULT '{}',
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (default_currency = ANY (currencies))
);

CREATE TABLE api_keys (
  id text PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('publishable', 'secret')),
  name text NOT NULL,
  channel_id text REFERENCES channels (id) ON DELETE CASCADE,
  -- Secret keys are stored only as a SHA-256 hash; publishable keys are public by design.
  token_hash text NOT NULL UNIQUE,
  token_hint text NOT NULL,
  publishable_token text UNIQUE,
  scopes text[] NOT NULL DEFAULT '{}',
  revoked_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((kind = 'publishable') = (channel_id IS NOT NULL)),
  CHECK ((kind = 'publishable') = (publishable_token IS NOT NULL))
);
