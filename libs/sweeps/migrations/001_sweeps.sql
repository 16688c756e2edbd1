-- Backtest sweeps: a sweep's jobs (a strategy's parameters on a data set) and each run's result,
-- recorded once per job however many times a worker ran it (a job retried after a worker died).
CREATE TABLE sweeps (
  sweep_id    text PRIMARY KEY,
  name        text NOT NULL,
  spec        jsonb NOT NULL,
  jobs        integer NOT NULL CHECK (jobs > 0),
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sweep_runs (
  sweep_id      text NOT NULL REFERENCES sweeps (sweep_id) ON DELETE CASCADE,
  job_key       text NOT NULL,
  strategy_id   text NOT NULL,
  params        jsonb NOT NULL,
  files         jsonb NOT NULL,
  pnl           double precision NOT NULL,
  sharpe        double precision,
  max_drawdown  double precision NOT NULL,
  fill_ratio    double precision,
  orders        integer NOT NULL,
  fills         integer NOT NULL,
  fees          double precision NOT NULL,
  ticks         bigint NOT NULL,
  wall_seconds  double precision NOT NULL,
  worker        text NOT NULL,
  attempt       integer NOT NULL,
  result        jsonb NOT NULL,
  finished_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (sweep_id, job_key)
);
