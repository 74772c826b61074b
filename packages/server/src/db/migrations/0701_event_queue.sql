-- `seq` is allocated when the row is inserted, not when its transaction commits, so a
-- reader paging by `seq > last_seen` could step over an event whose transaction commits
-- late. Each event therefore takes its transaction id BEFORE its seq (trigger below): the
-- holder of any allocated seq then has an xid below the snapshot xmax taken afterwards,
-- which is what the safe horizon in modules/events/horizon.ts waits on.
ALTER TABLE events ADD COLUMN xid xid8;
UPDATE events SET xid = '0'::xid8;
ALTER TABLE events ALTER COLUMN xid SET NOT NULL;
ALTER TABLE events ALTER COLUMN seq DROP DEFAULT;

CREATE FUNCTION merx_events_assign_seq() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.xid := pg_current_xact_id();
  NEW.seq := nextval('events_seq_seq');
  RETURN NEW;
END
$$;
CREATE TRIGGER events_assign_seq BEFORE INSERT ON events
  FOR EACH ROW EXECUTE FUNCTION merx_events_assign_seq();

CREATE INDEX events_channel_seq ON events (channel_id, seq) WHERE channel_id IS NOT NULL;
CREATE INDEX events_created_at ON events (created_at);

-- Durable cursors over the outbox (the router that fans events out into deliveries).
CREATE TABLE event_consumers (
  name text PRIMARY KEY,
  last_seq bigint NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- One row per (consumer, event): webhook endpoints (`webhook:whep_…`) and in-process
-- subscribers (`subscriber:<name>`). Workers claim due rows with FOR UPDATE SKIP LOCKED.
CREATE TABLE event_deliveries (
  id text PRIMARY KEY,
  consumer text NOT NULL,
  event_seq bigint NOT NULL,
  event_id text NOT NULL,
  event_type text NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'succeeded', 'dead')),
  attempts integer NOT NULL DEFAULT 0,
  -- For a claimed row this is also its lease: a worker that dies mid-attempt releases it here.
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_status_code integer,
  last_error text,
  last_duration_ms integer,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (consumer, event_id)
);
CREATE INDEX event_deliveries_due ON event_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX event_deliveries_consumer ON event_deliveries (consumer, id);

CREATE TABLE event_delivery_attempts (
  id bigserial PRIMARY KEY,
  delivery_id text NOT NULL REFERENCES event_deliveries (id) ON DELETE CASCADE,
  attempt integer NOT NULL,
  status_code integer,
  duration_ms integer NOT NULL,
  error text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX event_delivery_attempts_delivery ON event_delivery_attempts (delivery_id, id);
