-- Admin captures, refunds and voids call the provider between two short transactions: the
-- operation is claimed (pending) first, its outcome recorded after. A pending row whose
-- process died is retried later with the same idempotency key (its id).
ALTER TABLE payment_operations
  ADD COLUMN status text NOT NULL DEFAULT 'succeeded'
    CHECK (status IN ('pending', 'succeeded', 'failed')),
  -- When the provider was last asked: a pending row older than the timeout lost its process.
  ADD COLUMN attempted_at timestamptz NOT NULL DEFAULT now(),
  ADD COLUMN settled_at timestamptz,
  -- Opaque to payments: what the caller needs to finish the operation after a crash.
  ADD COLUMN context jsonb NOT NULL DEFAULT '{}';

UPDATE payment_operations
  SET status = CASE WHEN succeeded THEN 'succeeded' ELSE 'failed' END,
    attempted_at = created_at,
    settled_at = created_at;

ALTER TABLE payment_operations
  ADD CONSTRAINT payment_operations_status_succeeded CHECK (succeeded = (status = 'succeeded'));

-- One operation in flight per payment: a second capture or refund is refused, not doubled.
CREATE UNIQUE INDEX payment_operations_one_pending ON payment_operations (payment_id)
  WHERE status = 'pending';
