-- The safe horizon (modules/events/horizon.ts) must wait only for transactions that write
-- events: waiting on the cluster-wide snapshot xmin would let any long transaction — in any
-- database of the cluster, e.g. a bulk import — stall every live stream. Each event writer
-- therefore holds a shared advisory lock (per schema) from BEFORE it takes its seq until it
-- commits or rolls back; readers list the holders in pg_locks. Shared locks never block
-- each other, so writers stay fully concurrent.
CREATE OR REPLACE FUNCTION merx_events_assign_seq() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock_shared(7413002, hashtext(current_schema()) & 2147483647);
  NEW.xid := pg_current_xact_id();
  NEW.seq := nextval('events_seq_seq');
  RETURN NEW;
END
$$;
