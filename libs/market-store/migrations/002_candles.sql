-- 1-minute candles on exchange time, one row per symbol and minute, partitioned by day (UTC) with
-- pg_partman. Prices and volume in the instrument's integer units; turnover (sum of price x qty in
-- currency) gives any bucket's VWAP. `source`: live (recorded from the tick stream) or backfill.
CREATE SCHEMA IF NOT EXISTS partman;
CREATE EXTENSION IF NOT EXISTS pg_partman SCHEMA partman;
CREATE TABLE candles_1m (
  symbol    text NOT NULL,
  ts        timestamptz NOT NULL,
  open      bigint NOT NULL,
  high      bigint NOT NULL,
  low       bigint NOT NULL,
  close     bigint NOT NULL,
  volume    bigint NOT NULL CHECK (volume >= 0),
  trades    integer NOT NULL CHECK (trades >= 0),
  turnover  double precision NOT NULL,
  source    text NOT NULL,
  PRIMARY KEY (symbol, ts),
  CHECK (low <= open AND low <= close AND high >= open AND high >= close)
) PARTITION BY RANGE (ts);
-- Days ahead are made by run_maintenance (the market-services daemon calls it hourly); days of
-- history are made on demand before they are written (CandleStore.ensureDays).
SELECT partman.create_parent(p_parent_table => 'public.candles_1m', p_control => 'ts', p_type => 'native', p_interval => 'daily', p_premake => 3, p_jobmon => false);
