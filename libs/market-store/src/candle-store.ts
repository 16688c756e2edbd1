import type pg from 'pg';
import { errorMessage } from '@hft/errors';
import { withTransaction } from '@hft/migrations';
import { INTERVAL_MS, type CandleInterval } from './candle-interval.js';
import { ERR_PARTMAN_MISSING } from './errors.js';
import type { UpsertCounts } from './instrument-master.js';

/** A candle in the instrument's integer units; `startMs` is the bucket's start (epoch ms, exchange time). */
export interface StoredCandle {
  symbol: string;
  startMs: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  trades: number;
  /** Sum of price x quantity in currency (decimals): any bucket's VWAP is turnover / volume. */
  turnover: number;
}

const DAY_MS = 86_400_000;
const dayOf = (ms: number): number => Math.floor(ms / DAY_MS) * DAY_MS;

/** What a quote needs from history: the previous trading day's close and this day's volume so far. */
export interface DayFigures {
  prevClose: number | null;
  dayOpen: number | null;
  dayVolume: number;
  dayHigh: number | null;
  dayLow: number | null;
}

/**
 * The 1-minute candle store (table candles_1m, a partition per UTC day made by pg_partman). Writes
 * are upserts that leave equal rows alone (so a backfill run twice changes nothing); reads aggregate
 * the stored minutes into any interval in SQL.
 */
export class CandleStore {
  private readonly days = new Set<number>();
  private loaded = false;

  constructor(private readonly pool: pg.Pool) {}

  /** The days that have a partition (pg_partman's list), read once. */
  private async knownDays(): Promise<void> {
    if (this.loaded) return;
    try {
      const r = await this.pool.query<{ name: string }>("SELECT partition_tablename AS name FROM partman.show_partitions('public.candles_1m')");
      for (const { name } of r.rows) {
        const m = /_p(\d{4})_(\d{2})_(\d{2})$/.exec(name);
        if (m) this.days.add(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
      }
    } catch (e) {
      throw ERR_PARTMAN_MISSING(errorMessage(e));
    }
    this.loaded = true;
  }

  /** Make the day partitions these minutes fall in (pg_partman), before a write reaches them. */
  async ensureDays(startsMs: Iterable<number>): Promise<number> {
    await this.knownDays();
    const need = [...new Set([...startsMs].map(dayOf))].filter((d) => !this.days.has(d)).sort((a, b) => a - b);
    if (need.length === 0) return 0;
    await withTransaction(this.pool, async (client) => {
      // One maker at a time (the recorder and a backfill may want the same day).
      await client.query("SELECT pg_advisory_xact_lock(hashtext('hft_candle_partitions'))");
      const existing = await client.query<{ name: string }>("SELECT partition_tablename AS name FROM partman.show_partitions('public.candles_1m')");
      const have = new Set(existing.rows.map((r) => r.name));
      const missing = need.filter((d) => !have.has(`candles_1m_p${new Date(d).toISOString().slice(0, 10).replace(/-/g, '_')}`));
      if (missing.length) await client.query('SELECT partman.create_partition_time($1, $2::timestamptz[], false)', ['public.candles_1m', missing.map((d) => new Date(d).toISOString())]);
    });
    for (const d of need) this.days.add(d);
    return need.length;
  }

  /** Insert or replace minutes (by symbol and minute); equal rows are left alone and counted unchanged. */
  async upsert(candles: readonly StoredCandle[], source: 'live' | 'backfill', batch = 5000): Promise<UpsertCounts> {
    const counts: UpsertCounts = { inserted: 0, updated: 0, unchanged: 0 };
    if (candles.length === 0) return counts;
    await this.ensureDays(candles.map((c) => c.startMs));
    for (let i = 0; i < candles.length; i += batch) {
      const part = candles.slice(i, i + batch);
      const col = <T>(f: (c: StoredCandle) => T): T[] => part.map(f);
      const args = [col((c) => c.symbol), col((c) => c.startMs), col((c) => c.open), col((c) => c.high), col((c) => c.low), col((c) => c.close), col((c) => c.volume), col((c) => c.trades), col((c) => c.turnover), source];
      const rows = `unnest($1::text[], $2::float8[], $3::bigint[], $4::bigint[], $5::bigint[], $6::bigint[], $7::bigint[], $8::int[], $9::float8[]) AS u(s, ms, o, h, l, c, v, n, tv)`;
      // Two statements, not ON CONFLICT DO UPDATE RETURNING xmax: a partitioned table has no xmax to tell inserts from updates.
      const [upd, ins] = await withTransaction(this.pool, async (client) => [
        await client.query(
          `UPDATE candles_1m AS t SET open = u.o, high = u.h, low = u.l, close = u.c, volume = u.v, trades = u.n, turnover = u.tv, source = $10 FROM ${rows}
           WHERE t.symbol = u.s AND t.ts = to_timestamp(u.ms / 1000.0)
             AND ((t.open, t.high, t.low, t.close, t.volume, t.trades) IS DISTINCT FROM (u.o, u.h, u.l, u.c, u.v, u.n) OR abs(t.turnover - u.tv) > 1e-9 * greatest(abs(t.turnover), 1))`,
          args,
        ),
        await client.query(
          `INSERT INTO candles_1m (symbol, ts, open, high, low, close, volume, trades, turnover, source) SELECT s, to_timestamp(ms / 1000.0), o, h, l, c, v, n, tv, $10 FROM ${rows} ON CONFLICT (symbol, ts) DO NOTHING`,
          args,
        ),
      ]);
      counts.inserted += ins.rowCount ?? 0;
      counts.updated += upd.rowCount ?? 0;
      counts.unchanged += part.length - (ins.rowCount ?? 0) - (upd.rowCount ?? 0);
    }
    return counts;
  }

  /**
   * The minutes of [fromMs, toMs) aggregated into `interval` buckets, oldest first, at most `limit`.
   * 1d buckets are trading days in `timezone` (the instrument's venue).
   */
  async history(symbol: string, fromMs: number, toMs: number, interval: CandleInterval, timezone: string, limit: number): Promise<StoredCandle[]> {
    const sel = 'symbol, (extract(epoch FROM b) * 1000)::bigint AS "startMs", open, high, low, close, volume, trades, turnover';
    if (interval === '1m') {
      const r = await this.pool.query<StoredCandle>(
        `SELECT ${sel} FROM (SELECT symbol, ts AS b, open, high, low, close, volume, trades, turnover FROM candles_1m WHERE symbol = $1 AND ts >= to_timestamp($2 / 1000.0) AND ts < to_timestamp($3 / 1000.0) ORDER BY ts LIMIT $4) m`,
        [symbol, fromMs, toMs, limit],
      );
      return r.rows;
    }
    const range = 'FROM candles_1m WHERE symbol = $1 AND ts >= to_timestamp($2 / 1000.0) AND ts < to_timestamp($3 / 1000.0)';
    const agg = (b: string, t: string, src: string, o: string, h: string, l: string, c: string, v: string, n: string, tv: string): string =>
      `SELECT symbol, ${b} AS b, (array_agg(${o} ORDER BY ${t}))[1] AS open, max(${h}) AS high, min(${l}) AS low, (array_agg(${c} ORDER BY ${t} DESC))[1] AS close, sum(${v})::bigint AS volume, sum(${n})::int AS trades, sum(${tv}) AS turnover ${src} GROUP BY 1, 2`;
    const bin = (minutes: number, col: string): string => `date_bin('${minutes} minutes', ${col}, TIMESTAMPTZ '2000-01-01 00:00:00+00')`;
    // A day in the venue's zone from 15-minute buckets first (every zone's midnight is on a UTC quarter
    // hour): sorting a day's 1,440 minutes per group costs about 5x the two small steps.
    const inner =
      interval === '1d'
        ? agg("(date_trunc('day', b AT TIME ZONE $5) AT TIME ZONE $5)", 'b', `FROM (${agg(bin(15, 'ts'), 'ts', range, 'open', 'high', 'low', 'close', 'volume', 'trades', 'turnover')}) q`, 'open', 'high', 'low', 'close', 'volume', 'trades', 'turnover')
        : agg(bin(INTERVAL_MS[interval] / 60_000, 'ts'), 'ts', range, 'open', 'high', 'low', 'close', 'volume', 'trades', 'turnover');
    const r = await this.pool.query<StoredCandle>(`SELECT ${sel} FROM (${inner} ORDER BY b LIMIT $4) a`, interval === '1d' ? [symbol, fromMs, toMs, limit, timezone] : [symbol, fromMs, toMs, limit]);
    return r.rows;
  }

  /** The newest stored minute of a symbol (epoch ms), null when none. */
  async latest(symbol: string): Promise<number | null> {
    const r = await this.pool.query<{ ms: number | null }>('SELECT (extract(epoch FROM max(ts)) * 1000)::bigint AS ms FROM candles_1m WHERE symbol = $1', [symbol]);
    return r.rows[0]?.ms ?? null;
  }

  /** The previous trading day's close (the last minute before `dayStartMs`) and the day's figures from `dayStartMs` to `untilMs`. */
  async dayFigures(symbol: string, dayStartMs: number, untilMs: number): Promise<DayFigures> {
    const r = await this.pool.query<{ prev: number | null; open: number | null; volume: number | null; high: number | null; low: number | null }>(
      `SELECT (SELECT close FROM candles_1m WHERE symbol = $1 AND ts < to_timestamp($2 / 1000.0) ORDER BY ts DESC LIMIT 1) AS prev,
              (array_agg(open ORDER BY ts))[1] AS open, sum(volume)::bigint AS volume, max(high) AS high, min(low) AS low
       FROM candles_1m WHERE symbol = $1 AND ts >= to_timestamp($2 / 1000.0) AND ts < to_timestamp($3 / 1000.0)`,
      [symbol, dayStartMs, untilMs],
    );
    const row = r.rows[0];
    return { prevClose: row?.prev ?? null, dayOpen: row?.open ?? null, dayVolume: row?.volume ?? 0, dayHigh: row?.high ?? null, dayLow: row?.low ?? null };
  }

  /** pg_partman's maintenance: the next days' partitions, and retention when set (days; 0 keeps all). */
  async maintain(retentionDays: number): Promise<void> {
    await this.pool.query("UPDATE partman.part_config SET retention = $1, retention_keep_table = false WHERE parent_table = 'public.candles_1m'", [retentionDays > 0 ? `${retentionDays} days` : null]);
    await this.pool.query("SELECT partman.run_maintenance('public.candles_1m', p_jobmon => false)");
    this.loaded = false;
    this.days.clear();
  }
}
