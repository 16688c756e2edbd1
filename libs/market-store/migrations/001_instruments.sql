-- The instrument master: every tradable thing with its grid and terms. Daemons read it at start
-- (with config/platform.toml's [[instruments]] on top); `hft instruments import` and the
-- market-services daemon (which writes the config's instruments here) keep it.
CREATE TABLE instruments (
  symbol          text PRIMARY KEY,
  name            text NOT NULL DEFAULT '',
  kind            text NOT NULL CHECK (kind IN ('equity', 'etf', 'index', 'future', 'option', 'crypto', 'fx')),
  venue           text NOT NULL DEFAULT '',
  currency        text NOT NULL DEFAULT 'USD',
  -- The venue's clock: where its trading day (1d candles, previous close) begins.
  timezone        text NOT NULL DEFAULT 'UTC',
  price_decimals  smallint NOT NULL CHECK (price_decimals BETWEEN 0 AND 9),
  tick_size       numeric NOT NULL CHECK (tick_size > 0),
  qty_decimals    smallint NOT NULL CHECK (qty_decimals BETWEEN 0 AND 9),
  lot_size        numeric NOT NULL CHECK (lot_size > 0),
  -- Derivatives: futures have underlying/expiry/multiplier, options also strike and right.
  underlying      text,
  expiry          date,
  expiry_time     text,
  strike          numeric,
  option_right    text CHECK (option_right IN ('call', 'put')),
  multiplier      numeric,
  source          text NOT NULL,
  updated_at      timestamptz NOT NULL DEFAULT now(),
  CHECK (kind <> 'option' OR (underlying IS NOT NULL AND expiry IS NOT NULL AND strike IS NOT NULL AND option_right IS NOT NULL)),
  CHECK (kind <> 'future' OR (expiry IS NOT NULL))
);
CREATE INDEX instruments_underlying ON instruments (underlying) WHERE underlying IS NOT NULL;
