-- Platform tables shared by the HTTP layer (not owned by any domain module).
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;

-- A POST retried with the same Idempotency-Key replays the first response.
CREATE TABLE idempotency_keys (
  scope text NOT NULL,
  key text NOT NULL,
  request_hash text NOT NULL,
  status_code integer,
  response_body text,
  response_type text,
  created_at timestamptz NOT NULL DEFAULT now(),
  completed_at timestamptz,
  PRIMARY KEY (scope, key)
);
