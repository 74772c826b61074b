-- The NOTIFY that wakes every node's event bus is sent by the seq trigger itself, so writing
-- an event is one round trip instead of two (INSERT, then SELECT pg_notify). PostgreSQL still
-- delivers it only at commit, and drops it with a rollback.
CREATE OR REPLACE FUNCTION merx_events_assign_seq() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock_shared(7413002, hashtext(current_schema()) & 2147483647);
  NEW.xid := pg_current_xact_id();
  NEW.seq := nextval('events_seq_seq');
  PERFORM pg_notify('merx_events', NEW.seq::text);
  RETURN NEW;
END
$$;
