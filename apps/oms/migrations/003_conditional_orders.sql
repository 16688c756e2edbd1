-- Conditional orders (stops, trailing stops, OCO, OTO, brackets, GTT), held by the OMS's trigger
-- engine. `record` is the order as the OMS folds it (spec, status, parts with their trailing marks,
-- in integer units); `version` counts the changes applied, so a restart replaying its journal skips
-- what the row already holds. Every change is also an event, published on conditional.<STRATEGY>
-- with a per-strategy sequence.

CREATE TABLE conditional_orders (
  conditional_id  text PRIMARY KEY,
  strategy_id     text NOT NULL,
  symbol          text NOT NULL,
  status          text NOT NULL CHECK (status IN ('Pending', 'Triggered', 'Armed', 'Completed', 'Canceled', 'Denied', 'Rejected')),
  record          jsonb NOT NULL,
  version         integer NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX conditional_orders_open ON conditional_orders (conditional_id) WHERE status IN ('Pending', 'Triggered', 'Armed');
CREATE INDEX conditional_orders_strategy ON conditional_orders (strategy_id, created_at DESC);

CREATE TABLE conditional_events (
  strategy_id     text NOT NULL,
  stream_seq      bigint NOT NULL,
  conditional_id  text NOT NULL,
  event_type      text NOT NULL,
  payload         jsonb NOT NULL,
  ts_event        bigint NOT NULL,
  recorded_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (strategy_id, stream_seq)
);
CREATE INDEX conditional_events_order ON conditional_events (conditional_id, stream_seq);

-- The trigger engine's own write-ahead journal and its checkpoint (as oms_checkpoint for orders).
CREATE TABLE conditional_checkpoint (
  id           integer PRIMARY KEY CHECK (id = 1),
  ledger_id    uuid NOT NULL DEFAULT gen_random_uuid(),
  journal_lsn  bigint NOT NULL DEFAULT 0
);
INSERT INTO conditional_checkpoint (id) VALUES (1);
