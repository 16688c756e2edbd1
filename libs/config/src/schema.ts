import { z } from 'zod';
import { checkOptionTerms, expandOptionChains } from './option-chains.js';
import { isCalendarDate, isTimeZone } from './zoned-time.js';

// The schema of config/platform.toml. Keys stay snake_case as in the file so an error path is the
// key a user types. Every daemon reads its own section; shared parts are endpoints and instruments.

const zmqEndpoint = z
  .string()
  .regex(/^(tcp:\/\/[^\s:]+:(\d{1,5}|\*)|tcp:\/\/\[[0-9a-fA-F:]+\]:(\d{1,5}|\*)|ipc:\/\/\S+|inproc:\/\/\S+)$/, {
    message: 'expected tcp://host:port (port may be * for any), tcp://[v6]:port, ipc://path or inproc://name',
  });

const endpoint = z
  .object({ bind: zmqEndpoint, connect: zmqEndpoint.optional() })
  .strict()
  .transform((e) => ({ bind: e.bind, connect: e.connect ?? e.bind }));

// 0 asks the OS for any free port (tests, several instances on one host).
const port = z.number().int().min(0).max(65535);
const positive = z.number().positive();
const nonNegative = z.number().nonnegative();
const symbol = z.string().regex(/^[A-Z0-9][A-Z0-9._-]{0,15}$/, { message: 'symbols are 1-16 chars of A-Z 0-9 . _ -' });

// An instrument's integer grid: prices in units of 10^-price_decimals on a tick of tick_size,
// quantities in units of 10^-qty_decimals in lots of lot_size.
const gridShape = {
  price_decimals: z.number().int().min(0).max(9),
  tick_size: positive,
  qty_decimals: z.number().int().min(0).max(9),
  lot_size: positive,
};

function checkGrid(i: { price_decimals: number; tick_size: number; qty_decimals: number; lot_size: number }, ctx: z.RefinementCtx): void {
  for (const [field, decimals] of [
    ['tick_size', i.price_decimals],
    ['lot_size', i.qty_decimals],
  ] as const) {
    const units = i[field] * 10 ** decimals;
    if (Math.abs(units - Math.round(units)) > 1e-9 || Math.round(units) < 1) {
      ctx.addIssue({ code: 'custom', path: [field], message: `must be a whole number of units at ${decimals} decimals` });
    }
  }
}

const calendarDate = z.string().refine(isCalendarDate, { message: 'expected a calendar date YYYY-MM-DD' });
const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'expected a time HH:MM (24-hour)' });
const timeZone = z.string().refine(isTimeZone, { message: 'expected an IANA time zone such as America/New_York' });
export const OPTION_RIGHTS = ['call', 'put'] as const;
const optionRight = z.enum(OPTION_RIGHTS);

/** When contracts stop trading: the expiry date at this local time of the exchange's zone. */
const expiryClock = {
  expiry_time: clockTime.default('16:00'),
  timezone: timeZone.default('America/New_York'),
};

/** What makes an instrument an option contract (European exercise: priced with BSM / Black-76). */
const optionTerms = z
  .object({
    underlying: symbol,
    expiry: calendarDate,
    strike: positive,
    right: optionRight,
    /** Units of the underlying per contract (100 for US equity options). */
    multiplier: positive.default(100),
    ...expiryClock,
  })
  .strict();

export const INSTRUMENT_KINDS = ['equity', 'etf', 'index', 'future', 'option', 'crypto', 'fx'] as const;

/** What the instrument master knows beyond the grid (search, quotes, the venue's trading day). */
const instrumentMeta = {
  name: z.string().max(200).optional(),
  kind: z.enum(INSTRUMENT_KINDS).optional(),
  venue: z.string().max(32).optional(),
  currency: z.string().regex(/^[A-Z0-9]{2,8}$/, { message: 'a currency is 2-8 chars of A-Z 0-9' }).optional(),
  /** The venue's zone: where its trading day (1d candles, previous close) begins. */
  timezone: timeZone.optional(),
};

export const instrumentSchema = z
  .object({ symbol, ...gridShape, ...instrumentMeta, option: optionTerms.optional() })
  .strict()
  .superRefine(checkGrid);

/** A listed chain: every expiry x strike x right of an underlying, expanded into [[instruments]]. */
const optionChain = z
  .object({
    underlying: symbol,
    /** Prefix of the contract symbols (default: the underlying); shorten it when a symbol would pass 16 characters. */
    root: z.string().regex(/^[A-Z0-9]{1,9}$/, { message: 'a root is 1-9 chars of A-Z 0-9' }).optional(),
    expiries: z.array(calendarDate).min(1),
    strikes: z
      .object({ from: positive, to: positive, step: positive })
      .strict()
      .refine((k) => k.to >= k.from, { path: ['to'], message: 'must be >= from' }),
    rights: z.array(optionRight).min(1).default(['call', 'put']),
    multiplier: positive.default(100),
    ...expiryClock,
    ...gridShape,
  })
  .strict()
  .superRefine(checkGrid);

/**
 * Portfolio greek limits (absolute values): delta in units of the underlying (share-equivalents),
 * gamma in units of the underlying per 1.00 move of it, vega in currency per vol point.
 */
const greekLimits = z.object({ max_delta: positive.optional(), max_gamma: positive.optional(), max_vega: positive.optional() }).strict();

const limits = z
  .object({
    max_order_qty: positive,
    max_notional: positive,
    price_band_bps: positive,
    max_position: positive,
    daily_loss_limit: positive,
    max_orders_per_sec: z.number().int().positive(),
  })
  .strict();

// A built-in names its `kind`; a plugin gives its `module` (the kind is the plugin's own).
const strategyParams = z
  .looseObject({ kind: z.string().min(1).optional(), module: z.string().min(1).optional(), symbol: symbol.optional() })
  .refine((p) => p.kind !== undefined || p.module !== undefined, { message: 'needs kind (a built-in strategy) or module (a plugin file)', path: ['kind'] })
  .describe('per-strategy parameters');

/** A `[market_data] wait_for` entry: a consumer's name (as it subscribes `~ready.<name>`), on both streams or `@ticks` / `@books` only. */
export const WAIT_FOR_ENTRY = /^[\w.-]+(@(ticks|books))?$/;
export const WAIT_FOR_RULE = "NAME, NAME@ticks or NAME@books (a name of letters, digits, '_', '.', '-')";

export const TICK_FORMATS = ['auto', 'hft', 'binance-trades', 'binance-aggtrades', 'lobster', 'option-quotes', 'itch', 'catalog'] as const;

/** A tick file: its path, and optionally its format and the symbol it carries (for symbol-less formats). */
const replayFile = z
  .object({
    path: z.string().min(1),
    format: z.enum(TICK_FORMATS).default('auto'),
    symbol: symbol.optional(),
    /** LOBSTER: the orderbook file the message file starts from (default: the `_orderbook_` file beside it). */
    orderbook: z.string().min(1).optional(),
    /** ITCH: the trading day (its timestamps are nanoseconds after New York midnight), when the file name does not say. */
    date: calendarDate.optional(),
  })
  .strict();

const fee = z.object({ maker_bps: z.number(), taker_bps: z.number() }).strict();

export const platformSchema = z
  .object({
    platform: z.object({ name: z.string().min(1) }).strict(),
    services: z
      .object({
        redis_url: z.url(),
        database_url: z.string().regex(/^postgres(ql)?:\/\//),
        /** Address every daemon's HTTP server (health, metrics, APIs) listens on: loopback on one
         * machine, the host's own address when Prometheus or other daemons reach it from elsewhere. */
        http_host: z.string().min(1),
      })
      .strict(),
    /** CPU scheduling of the order path: the listed daemons ask the kernel for a real-time policy at start. */
    scheduling: z
      .object({
        /** "fifo" / "rr": SCHED_FIFO / SCHED_RR for every thread of the listed daemons; "normal": leave the kernel's default. */
        policy: z.enum(['fifo', 'rr', 'normal']),
        /** Real-time priority 1-99 (higher preempts lower; Linux's own kernel threads run at 50 and above). */
        priority: z.int().min(1).max(99),
        daemons: z.array(z.enum(['market-data', 'strategy', 'risk', 'oms', 'execution', 'monitoring', 'security', 'fix-gateway', 'market-services'])),
      })
      .strict()
      .default({ policy: 'normal', priority: 10, daemons: [] }),
    endpoints: z
      .object({
        ticks: endpoint,
        books: endpoint,
        orders: endpoint,
        approved: endpoint,
        venue: endpoint,
        order_events: endpoint,
        risk_check: endpoint,
        control: endpoint,
        analytics: endpoint,
        conditional: endpoint,
        scanner: endpoint,
      })
      .strict(),
    /** Where daemons read instruments: the Postgres master (with [[instruments]] on top), or the config alone. */
    instrument_master: z
      .object({
        source: z.enum(['postgres', 'config']),
        /** How long a starting daemon retries an unreachable Postgres before it gives up. */
        wait_s: z.number().int().min(0).max(600).default(30),
      })
      .strict()
      .default({ source: 'config', wait_s: 30 }),
    instruments: z.array(instrumentSchema).min(1),
    option_chains: z.array(optionChain).default([]),
    /** Option analytics (market-data's md.chain.<UNDERLYING> snapshots). */
    options: z
      .object({
        /** One chain snapshot per underlying per this much data time, when something changed; 0 = off. */
        snapshot_ms: z.number().int().min(0).max(3_600_000).default(1000),
        /** Continuous risk-free rate for implied vols and greeks. */
        rate: z.number().min(-0.2).max(1).default(0),
        /** Continuous dividend yield per underlying (default 0). */
        dividend_yields: z.record(z.string(), z.number().min(-0.2).max(1)).default({}),
        /** The volatility index each underlying's ATM implied vol is compared with (an instrument whose trades are its level). */
        vol_indexes: z.record(z.string(), symbol).default({}),
        /** The VIX-divergence signal fires when the IV-index spread leaves its window mean by more than this (vol points). */
        divergence_points: z.number().positive().default(2),
        divergence_window_ms: z.number().int().min(1000).max(86_400_000).default(60_000),
      })
      .strict()
      .default({ snapshot_ms: 1000, rate: 0, dividend_yields: {}, vol_indexes: {}, divergence_points: 2, divergence_window_ms: 60_000 }),
    market_data: z
      .object({
        http_port: port,
        files: z.array(z.union([z.string().min(1), replayFile])).min(1),
        speed: z.string().regex(/^(max|\d+(\.\d+)?)$/, { message: 'a positive number or "max"' }),
        book_depth: z.number().int().min(1).max(100),
        book_snapshots: z.enum(['conflate', 'every']),
        /** md.book-sampled.<SYMBOL>: at most one snapshot per symbol this often (the latest always follows); 0 = off. */
        sampled_book_ms: z.number().int().min(0).max(10_000).default(50),
        /** md.trade.<SYMBOL>: the trades of the tick stream alone, for risk and monitoring; false = off (they take every tick). */
        trade_topic: z.boolean().default(true),
        pub_hwm: z.number().int().min(0),
        max_batch: z.number().int().min(1).max(65535),
        /** Consumers (their `~ready.<name>` subscriptions) to wait for before the first tick: NAME on both streams, NAME@ticks, NAME@books. */
        wait_for: z.array(z.string().regex(WAIT_FOR_ENTRY, { message: WAIT_FOR_RULE })).default([]),
        wait_timeout_ms: z.number().int().min(0),
      })
      .strict(),
    strategy: z
      .object({
        http_port: port,
        enabled: z.array(z.string().min(1)),
        params: z.record(z.string(), strategyParams),
        /** On start, positions and working orders come from the OMS (as this service account), so a
         * restarted strategy resumes from the truth instead of flat. */
        /** An order neither submitted nor denied after this long (its command was lost) is voided with a cancel. */
        order_ack_timeout_ms: z.number().int().min(100),
        risk_url: z.url(),
        oms_url: z.url(),
        security_url: z.url(),
        service_user: z.string().min(1).optional(),
        service_password_file: z.string().min(1).optional(),
      })
      .strict()
      .superRefine((s, ctx) => {
        s.enabled.forEach((name, i) => {
          if (!(name in s.params)) {
            ctx.addIssue({ code: 'custom', path: ['enabled', i], message: `enabled strategy "${name}" has no [strategy.params.${name}] section` });
          }
        });
      }),
    risk: z
      .object({
        http_port: port,
        restricted_symbols: z.array(symbol),
        default_limits: limits,
        symbol_limits: z.record(z.string(), limits.partial()).default({}),
        strategy_limits: z.record(z.string(), limits.partial()).default({}),
        /** Greek limits, per underlying: `strategy` for each strategy's book, `underlying` for all
         * strategies together; `strategies.<id>` / `underlyings.<SYMBOL>` override them per key. */
        greek_limits: z
          .object({
            strategy: greekLimits.default({}),
            underlying: greekLimits.default({}),
            strategies: z.record(z.string(), greekLimits).default({}),
            underlyings: z.record(z.string(), greekLimits).default({}),
          })
          .strict()
          .default({ strategy: {}, underlying: {}, strategies: {}, underlyings: {} }),
        /** Prefix of every Redis key risk owns (one Redis can serve several platforms or test runs). */
        redis_prefix: z.string().regex(/^[A-Za-z0-9:_-]{1,64}$/),
        /** clientOrderIds per strategy the duplicate check remembers (the OMS refuses older reuses too). */
        duplicate_memory: z.number().int().min(1000),
        /** Fail closed when a risk state change waits longer than this for Redis... */
        persist_max_lag_ms: z.number().int().min(1),
        /** ...or when more changes than this wait. */
        persist_max_pending: z.number().int().min(1),
        /** Changes are gathered this long into one Redis MULTI (a waiting kill-switch flushes at once). */
        persist_coalesce_ms: z.number().int().min(0),
        /** An approval the OMS has not shown as submitted after this long is voided with a cancel. */
        approval_timeout_ms: z.number().int().min(100),
        /** Risk reads the order-event stream it missed (and each strategy's state the first time) from
         * the OMS, as this service account. */
        oms_url: z.url(),
        security_url: z.url(),
        service_user: z.string().min(1).optional(),
        service_password_file: z.string().min(1).optional(),
      })
      .strict(),
    oms: z
      .object({
        http_port: port,
        batch_max: z.number().int().min(1),
        buffer_max: z.number().int().min(1),
        retry_initial_ms: positive,
        retry_max_ms: positive,
        /** on: a ledgered order survives a Postgres crash; off: ~2x lower commit latency, the last
         * fraction of a second of commits can be lost if Postgres itself crashes (not the OMS). */
        synchronous_commit: z.enum(['on', 'off']),
        pool_size: z.number().int().min(2).max(100),
        /** How often open orders are reconciled with the venue (status query). */
        reconcile_interval_ms: z.number().int().min(100),
        /** The write-ahead journal (relative paths are from the repository root): written before
         * anything is sent, replayed after a crash, deleted as Postgres commits it. */
        journal_dir: z.string().min(1),
        /** always: fdatasync every write (survives a machine crash, slower); interval: fdatasync in the
         * background every journal_fsync_interval_ms; never: leave it to the OS. */
        journal_fsync: z.enum(['always', 'interval', 'never']),
        journal_fsync_interval_ms: z.number().int().min(1),
        journal_segment_mb: z.number().int().min(1),
        /** Group commit: the ledger writer gathers records this long before a write (0: at once). */
        ledger_linger_ms: z.number().int().min(0),
        /** Order events kept in memory per strategy for consumers catching up. */
        recent_events: z.number().int().min(100),
        /** Finished orders remembered to refuse a reused clientOrderId and answer late cancels. */
        closed_memory: z.number().int().min(1000),
        /** Order-event stream PUB high-water mark; refusals are counted (consumers read them back). */
        pub_hwm: z.number().int().min(0),
        /** The strategy a GTT placed over REST trades for when its request names none. */
        gtt_strategy: z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/).default('manual'),
        /** A triggered conditional order's child the OMS has not seen after this long is sent to risk again (risk drops a duplicate). */
        conditional_resend_ms: z.number().int().min(100).default(2000),
      })
      .strict(),
    execution: z
      .object({
        http_port: port,
        latency_model: z.enum(['fixed', 'uniform', 'lognormal']),
        latency_min_us: nonNegative,
        latency_max_us: nonNegative,
        fees: z.record(z.string(), fee).refine((f) => 'default' in f, { message: 'needs a [execution.fees.default] entry' }),
        self_trade_prevention: z.enum(['none', 'cancel-resting', 'cancel-aggressor', 'cancel-both']),
        /** Finished orders kept for status queries (reconciliation) before the oldest are forgotten. */
        order_history: z.number().int().min(1000),
      })
      .strict()
      .refine((e) => e.latency_max_us >= e.latency_min_us, {
        path: ['latency_max_us'],
        message: 'must be >= latency_min_us',
      }),
    fix_gateway: z
      .object({
        /** Started by `hft up` (and the test platforms that ask for it). */
        enabled: z.boolean(),
        http_port: port,
        /** The FIX acceptor's TCP address. */
        fix_host: z.string().min(1),
        fix_port: port,
        /** Our CompID: the TargetCompID counterparties address, the SenderCompID of what we send. */
        comp_id: z.string().regex(/^[\x21-\x7e]{1,32}$/),
        /** Each session's sequence numbers and message store (an append-only file per session). */
        store_dir: z.string().min(1),
        /** fdatasync every store write (survives a machine crash, costs a disk flush per message). */
        fsync: z.boolean().default(false),
        max_heartbeat_s: z.number().int().min(1).max(3600).default(60),
        max_clock_skew_ms: z.number().int().min(1000).default(120_000),
        security_url: z.url(),
        oms_url: z.url(),
        service_user: z.string().min(1).optional(),
        service_password_file: z.string().min(1).optional(),
        /** Counterparties: a SenderCompID, the platform user its Logon must name (Username 553 / Password 554), the strategy id its orders trade under. */
        sessions: z
          .array(
            z
              .object({
                sender_comp_id: z.string().regex(/^[\x21-\x7e]{1,32}$/),
                username: z.string().min(1),
                strategy_id: z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/),
              })
              .strict(),
          )
          .default([]),
      })
      .strict()
      .superRefine((g, ctx) => {
        const seen = new Set<string>();
        g.sessions.forEach((s, i) => {
          if (seen.has(s.sender_comp_id)) ctx.addIssue({ code: 'custom', path: ['sessions', i, 'sender_comp_id'], message: `SenderCompID ${s.sender_comp_id} is configured twice` });
          seen.add(s.sender_comp_id);
        });
      }),
    market_services: z
      .object({
        /** Started by `hft up` (and the test platforms that ask for it). */
        enabled: z.boolean(),
        http_port: port,
        /** Reads (search, quotes, candles, suggestions) without a token; false requires the dev role or above. */
        public_reads: z.boolean().default(true),
        /** Closed candles gathered this long into one Postgres write (behind the stream, never on the order path). */
        candle_linger_ms: z.number().int().min(1).max(60_000).default(200),
        /** pg_partman maintenance (next days' partitions, retention) this often. */
        maintenance_interval_s: z.number().int().min(10).default(3600),
        /** Days of candles kept (older partitions dropped by maintenance); 0 keeps everything. */
        retention_days: z.number().int().min(0).default(0),
        /** Instrument search: results per query at most. */
        search_limit: z.number().int().min(1).max(500).default(20),
        /** Candles per history response at most (ask for a coarser interval or a shorter range beyond). */
        max_candles: z.number().int().min(100).max(1_000_000).default(100_000),
        scanner: z
          .object({
            /** A scan every this many minutes of exchange time (the replayed data's clock, live or not). */
            every_minutes: z.number().int().min(1).max(1440),
            /** Instruments ranked; empty: every instrument of the master that is not an option and trades. */
            universe: z.array(symbol).default([]),
            /** Price vs the high of this many previous trading days (stored candles). */
            lookback_days: z.number().int().min(1).max(260),
            /** The recent window the volume surge, momentum and range expansion measure. */
            window_minutes: z.number().int().min(1).max(390),
            /** Suggestions published per scan, best first. */
            top: z.number().int().min(1).max(500),
            /** Suggestions need at least this score (a weighted sum of cross-sectional z-scores). */
            min_score: z.number(),
            weights: z
              .object({ breakout: z.number(), volume_surge: z.number(), vwap_distance: z.number(), range_expansion: z.number(), momentum: z.number() })
              .strict(),
          })
          .strict(),
      })
      .strict(),
    /** Backtest sweeps (`hft backtest --sweep`, `hft worker`): jobs on BullMQ in the platform's Redis, results in Postgres. */
    sweeps: z
      .object({
        /** Redis key prefix of the job queue. */
        queue_prefix: z.string().min(1).default('hft:bull'),
        /** Attempts per job (a worker's death costs one). */
        attempts: z.number().int().min(1).max(20).default(3),
        /** A job whose worker stops renewing its lock for this long goes to another worker. */
        lock_duration_ms: z.number().int().min(1000).default(30_000),
        /** Backtests at once per worker process (one per core is the most that helps). */
        concurrency: z.number().int().min(1).max(64).default(1),
        /** The equity curve's step (data time): Sharpe and drawdown are measured on it. */
        equity_every_ms: z.number().int().min(10).default(1000),
      })
      .strict()
      .default({ queue_prefix: 'hft:bull', attempts: 3, lock_duration_ms: 30_000, concurrency: 1, equity_every_ms: 1000 }),
    /** The tick catalog (`hft catalog import|list`): Parquet partitions by symbol and UTC day that replays and backtests read. */
    catalog: z
      .object({
        /** Where the partitions live; relative paths are from the repository root. */
        root: z.string().min(1).default('data/catalog'),
      })
      .strict()
      .default({ root: 'data/catalog' }),
    monitoring: z
      .object({
        http_port: port,
        /** Reads (dashboard, REST, SSE) without a token; false requires the dev role or above. */
        public_reads: z.boolean(),
        /** Service account monitoring logs in with to read risk and OMS state for the dashboard. */
        service_user: z.string().min(1).optional(),
        service_password_file: z.string().min(1).optional(),
        /** Base URLs of the daemons it proxies to. */
        risk_url: z.url(),
        oms_url: z.url(),
        /** Instrument search, quotes, candle history and the scanner (the market-services daemon). */
        market_services_url: z.url(),
        security_url: z.url(),
        /** Ticks per symbol kept for the dashboard. */
        recent_ticks: z.number().int().min(10).max(10_000),
        /** Wall-time limit of one backtest request. */
        backtest_max_seconds: z.number().int().min(1),
      })
      .strict(),
    security: z
      .object({
        http_port: port,
        issuer: z.string().min(1),
        audience: z.string().min(1),
        token_ttl_s: z.number().int().min(10).max(86_400),
        /** Where verifiers fetch the signing keys (the security daemon's JWKS). */
        jwks_url: z.url(),
        /** A PEM public key file to verify with instead of the JWKS (air-gapped daemons, tests). */
        public_key_file: z.string().min(1).optional(),
        /** Tokens older than this (from iat) are refused even if not expired. */
        max_token_age_s: z.number().int().min(10).max(86_400),
        /** Clock skew tolerated on exp/nbf/iat between issuer and verifier; never more than a token's own lifetime. */
        clock_tolerance_s: z.number().int().min(0).max(30).default(1),
        /** The signing key (PEM, EC P-256). Only the security daemon and `hft token` read it. */
        private_key_file: z.string().min(1),
        /** Users and service accounts with scrypt-hashed passwords (see `hft-security add-user`). */
        users_file: z.string().min(1),
        /** Failed logins per user per minute before further attempts are refused (429). */
        max_failed_logins: z.number().int().min(1),
      })
      .strict(),
  })
  .strict()
  // Refinements run even when another key is wrong (so every problem is listed at once); the
  // transform after them runs on a valid config only and turns chains into ordinary instruments.
  .superRefine((c, ctx) => {
    const instruments = [...c.instruments, ...expandOptionChains(c.option_chains, c.instruments, ctx)];
    const bySymbol = new Map(instruments.map((i) => [i.symbol, i]));
    instruments.forEach((i, idx) => {
      if (instruments.findIndex((j) => j.symbol === i.symbol) !== idx) {
        const where = idx < c.instruments.length ? 'instruments' : 'option_chains';
        ctx.addIssue({ code: 'custom', path: where === 'instruments' ? ['instruments', idx, 'symbol'] : ['option_chains'], message: `duplicate instrument ${i.symbol}` });
      }
      if (i.option && idx < c.instruments.length) checkOptionTerms(i.option, bySymbol, ['instruments', idx, 'option'], ctx);
    });
    for (const [underlying, index] of Object.entries(c.options.vol_indexes)) {
      for (const sym of [underlying, index]) if (!bySymbol.has(sym)) ctx.addIssue({ code: 'custom', path: ['options', 'vol_indexes', underlying], message: `unknown instrument ${sym}` });
    }
    for (const [name, p] of Object.entries(c.strategy.params)) {
      // With the Postgres master the symbol may be there alone: the strategy daemon checks it at start.
      if (p.symbol !== undefined && c.instrument_master.source === 'config' && !bySymbol.has(p.symbol)) {
        ctx.addIssue({ code: 'custom', path: ['strategy', 'params', name, 'symbol'], message: `unknown instrument ${p.symbol}` });
      }
    }
  })
  .transform((c) => ({ ...c, instruments: [...c.instruments, ...expandOptionChains(c.option_chains, c.instruments, null)] }));

export type PlatformConfig = z.output<typeof platformSchema>;
export type Endpoint = PlatformConfig['endpoints']['ticks'];
export type EndpointName = keyof PlatformConfig['endpoints'];
export type InstrumentConfig = z.output<typeof instrumentSchema>;
export type OptionTermsConfig = z.output<typeof optionTerms>;
export type OptionChainConfig = z.output<typeof optionChain>;
export type RiskLimits = PlatformConfig['risk']['default_limits'];
export type GreekLimitsConfig = PlatformConfig['risk']['greek_limits'];
export type TickFormat = (typeof TICK_FORMATS)[number];
export type InstrumentKind = (typeof INSTRUMENT_KINDS)[number];
