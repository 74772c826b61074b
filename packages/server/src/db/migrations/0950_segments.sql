-- Rule-based customer segments. `rules` is the validated rule tree (segments/rules.ts); the
-- membership is evaluated in SQL on demand and cached in segment_members, stamped by
-- `computed_at` and recomputed once it is older than `stale_after_minutes`.
CREATE TABLE segments (
  id text PRIMARY KEY,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  description text NOT NULL DEFAULT '',
  rules jsonb NOT NULL,
  stale_after_minutes integer NOT NULL DEFAULT 60 CHECK (stale_after_minutes BETWEEN 1 AND 10080),
  computed_at timestamptz,
  member_count integer,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX segments_name_lower ON segments (lower(name));

CREATE TABLE segment_members (
  segment_id text NOT NULL REFERENCES segments (id) ON DELETE CASCADE,
  customer_id text NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  computed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (segment_id, customer_id)
);
-- Price selection and promotions ask "which segments is this customer in?".
CREATE INDEX segment_members_customer ON segment_members (customer_id, segment_id);
