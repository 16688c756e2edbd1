-- The order ledger. Money, prices and quantities are exact numerics. order_events is append-only and
-- the orders table is its projection, updated in the same transaction.

CREATE SEQUENCE order_id_seq INCREMENT BY 1000 START WITH 1000;

CREATE TABLE orders (
  order_id         bigint PRIMARY KEY,
  strategy_id      text NOT NULL,
  client_order_id  text NOT NULL,
  symbol           text NOT NULL,
  side             text NOT NULL CHECK (side IN ('buy', 'sell')),
  order_type       text NOT NULL CHECK (order_type IN ('limit', 'market')),
  time_in_force    text NOT NULL CHECK (time_in_force IN ('gtc', 'ioc')),
  post_only        boolean NOT NULL DEFAULT false,
  price            numeric(28, 10),
  quantity         numeric(28, 10) NOT NULL CHECK (quantity > 0),
  status           text NOT NULL CHECK (status IN ('PendingNew', 'New', 'PartiallyFilled', 'Filled', 'PendingCancel', 'Canceled', 'Rejected', 'Denied', 'Expired')),
  cum_qty          numeric(28, 10) NOT NULL DEFAULT 0,
  leaves_qty       numeric(28, 10) NOT NULL,
  avg_px           numeric(28, 10),
  last_seq         integer NOT NULL DEFAULT 1,
  reason           text,
  ts_tick          bigint,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (strategy_id, client_order_id)
);
CREATE INDEX orders_open ON orders (order_id) WHERE status IN ('PendingNew', 'New', 'PartiallyFilled', 'PendingCancel');
CREATE INDEX orders_symbol_created ON orders (symbol, created_at DESC);
CREATE INDEX orders_strategy_created ON orders (strategy_id, created_at DESC);

CREATE TABLE order_events (
  order_id     bigint NOT NULL REFERENCES orders (order_id),
  seq          integer NOT NULL,
  event_type   text NOT NULL,
  -- Venue execution id (or report id): a report is applied once whatever happens.
  exec_id      text UNIQUE,
  status       text NOT NULL,
  qty          numeric(28, 10),
  price        numeric(28, 10),
  payload      jsonb NOT NULL,
  ts_event     bigint NOT NULL,
  recorded_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (order_id, seq)
);

CREATE TABLE fills (
  exec_id      text PRIMARY KEY,
  order_id     bigint NOT NULL REFERENCES orders (order_id),
  strategy_id  text NOT NULL,
  symbol       text NOT NULL,
  side         text NOT NULL,
  price        numeric(28, 10) NOT NULL CHECK (price > 0),
  quantity     numeric(28, 10) NOT NULL CHECK (quantity > 0),
  fee          numeric(28, 10) NOT NULL DEFAULT 0,
  liquidity    text NOT NULL CHECK (liquidity IN ('maker', 'taker')),
  ts_event     bigint NOT NULL,
  recorded_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX fills_symbol_ts ON fills (symbol, ts_event DESC);
CREATE INDEX fills_strategy_ts ON fills (strategy_id, ts_event DESC);
CREATE INDEX fills_order ON fills (order_id);

CREATE TABLE kill_switch_audit (
  id           bigserial PRIMARY KEY,
  event_id     text NOT NULL UNIQUE,
  scope        text NOT NULL CHECK (scope IN ('global', 'strategy', 'symbol')),
  target       text,
  engaged      boolean NOT NULL,
  reason       text NOT NULL,
  actor        text NOT NULL,
  ts_event     bigint NOT NULL,
  canceled_orders integer NOT NULL DEFAULT 0,
  recorded_at  timestamptz NOT NULL DEFAULT now()
);
