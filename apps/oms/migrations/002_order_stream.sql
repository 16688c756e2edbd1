-- The sequenced order-event stream. Every order event the OMS publishes is one order_events row with
-- the strategy's stream sequence and the published message as its payload, so a consumer reads back
-- what it missed by sequence. Rows from before this migration are history, not part of the stream
-- (their stream_seq stays NULL).

ALTER TABLE order_events ADD COLUMN strategy_id text, ADD COLUMN stream_seq bigint;
UPDATE order_events e SET strategy_id = o.strategy_id FROM orders o WHERE o.order_id = e.order_id;
ALTER TABLE order_events ALTER COLUMN strategy_id SET NOT NULL;
CREATE UNIQUE INDEX order_events_stream ON order_events (strategy_id, stream_seq);
-- News about an order that is already over (a late cancel, a reused id) does not change its status.
ALTER TABLE order_events ALTER COLUMN status DROP NOT NULL;

-- A refusal of a command that never carried the order (a cancel that came before its order) is an
-- order too, Denied, so the id stays used: its details are unknown.
ALTER TABLE orders ALTER COLUMN side DROP NOT NULL, ALTER COLUMN order_type DROP NOT NULL,
  ALTER COLUMN time_in_force DROP NOT NULL, ALTER COLUMN quantity DROP NOT NULL;
ALTER TABLE orders ADD COLUMN acked boolean NOT NULL DEFAULT false;
UPDATE orders o SET acked = true WHERE EXISTS (
  SELECT 1 FROM order_events e WHERE e.order_id = o.order_id AND e.event_type IN ('OrderAccepted', 'ReconciledAccepted', 'OrderFilled'));

-- The last sequence of each strategy's stream (read at start instead of scanning order_events).
CREATE TABLE stream_heads (
  strategy_id  text PRIMARY KEY,
  head         bigint NOT NULL
);

-- Positions from fills (average cost), moved in the same statement as the fills.
CREATE TABLE positions (
  strategy_id  text NOT NULL,
  symbol       text NOT NULL,
  qty          numeric(28, 10) NOT NULL,
  avg_px       numeric(28, 10) NOT NULL,
  realized     numeric(28, 10) NOT NULL,
  fees         numeric(28, 10) NOT NULL,
  stream_seq   bigint NOT NULL,
  updated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (strategy_id, symbol)
);

-- Which journal records the ledger holds: the OMS writes its journal before it sends anything and
-- commits it here in batches; after a crash it replays the journal past `journal_lsn`. `ledger_id`
-- ties a journal to this database, so a journal is never replayed into another one.
CREATE TABLE oms_checkpoint (
  id           integer PRIMARY KEY CHECK (id = 1),
  ledger_id    uuid NOT NULL DEFAULT gen_random_uuid(),
  journal_lsn  bigint NOT NULL DEFAULT 0
);
INSERT INTO oms_checkpoint (id) VALUES (1);
