-- Shoppers with an account. The email is unique per shop case-insensitively (citext is not
-- available on every PostgreSQL we run on, so the unique index is on lower(email)).
CREATE TABLE customers (
  id text PRIMARY KEY,
  email text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
  -- argon2id PHC string ($argon2id$v=19$m=…,t=…,p=…$salt$hash); never leaves the service layer.
  password_hash text NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
  first_name text,
  last_name text,
  phone text,
  metadata jsonb NOT NULL DEFAULT '{}',
  consent_personalisation boolean NOT NULL DEFAULT false,
  consent_personalisation_updated_at timestamptz,
  consent_marketing boolean NOT NULL DEFAULT false,
  consent_marketing_updated_at timestamptz,
  -- Online guessing brake: failures within a window, and the lock they trigger.
  failed_login_count integer NOT NULL DEFAULT 0,
  last_failed_login_at timestamptz,
  locked_until timestamptz,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX customers_email_lower ON customers (lower(email));
-- Admin search: `q` matches anywhere in email or name (ILIKE '%q%' uses the trigram index).
CREATE INDEX customers_search_trgm ON customers USING gin (
  (lower(email || ' ' || coalesce(first_name, '') || ' ' || coalesce(last_name, ''))) gin_trgm_ops
);

CREATE TABLE customer_addresses (
  id text PRIMARY KEY,
  customer_id text NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  first_name text,
  last_name text,
  company text,
  line1 text NOT NULL,
  line2 text,
  city text NOT NULL,
  postal_code text,
  region text,
  country char(2) NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
  phone text,
  is_default_shipping boolean NOT NULL DEFAULT false,
  is_default_billing boolean NOT NULL DEFAULT false,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX customer_addresses_customer ON customer_addresses (customer_id, id);
-- At most one default of each kind per customer, enforced by the database, not only the code.
CREATE UNIQUE INDEX customer_addresses_default_shipping ON customer_addresses (customer_id)
  WHERE is_default_shipping;
CREATE UNIQUE INDEX customer_addresses_default_billing ON customer_addresses (customer_id)
  WHERE is_default_billing;

-- Opaque session tokens: only the SHA-256 of the token is stored, so a database leak
-- yields no usable session. A row is the unit of revocation (logout, password reset).
CREATE TABLE customer_sessions (
  id text PRIMARY KEY,
  customer_id text NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  token_hash text NOT NULL UNIQUE,
  channel_id text NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  user_agent text,
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX customer_sessions_customer ON customer_sessions (customer_id) WHERE revoked_at IS NULL;

CREATE TABLE password_reset_tokens (
  id text PRIMARY KEY,
  customer_id text NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  token_hash text NOT NULL UNIQUE,
  channel_id text REFERENCES channels (id) ON DELETE SET NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX password_reset_tokens_customer ON password_reset_tokens (customer_id) WHERE used_at IS NULL;

-- Groups drive group prices and promotion conditions (wholesale, staff, VIP, …).
CREATE TABLE customer_groups (
  id text PRIMARY KEY,
  name text NOT NULL,
  description text,
  metadata jsonb NOT NULL DEFAULT '{}',
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX customer_groups_name_lower ON customer_groups (lower(name));

CREATE TABLE customer_group_members (
  group_id text NOT NULL REFERENCES customer_groups (id) ON DELETE CASCADE,
  customer_id text NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (group_id, customer_id)
);
-- Session resolution reads a customer's groups on every signed-in store request.
CREATE INDEX customer_group_members_customer ON customer_group_members (customer_id, group_id);
