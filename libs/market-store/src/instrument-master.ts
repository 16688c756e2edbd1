import type pg from 'pg';
import type { InstrumentKind } from '@hft/config';
import { withTransaction } from '@hft/migrations';
import type { InstrumentRow } from './instrument-row.js';

/** The channel a write to the master is announced on (LISTEN hft_instruments): readers reload. */
export const INSTRUMENTS_CHANNEL = 'hft_instruments';

export interface UpsertCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

interface DbRow {
  symbol: string;
  name: string;
  kind: InstrumentKind;
  venue: string;
  currency: string;
  timezone: string;
  price_decimals: number;
  tick_size: string;
  qty_decimals: number;
  lot_size: string;
  underlying: string | null;
  expiry: string | null;
  expiry_time: string | null;
  strike: string | null;
  option_right: 'call' | 'put' | null;
  multiplier: string | null;
  source: string;
}

const num = (s: string | null): number | null => (s === null ? null : Number(s));

/** The instrument master in Postgres: read it whole, upsert rows idempotently. */
export class InstrumentMaster {
  constructor(private readonly pool: pg.Pool) {}

  /** False before the market-store migrations ran on this database. */
  async exists(): Promise<boolean> {
    const r = await this.pool.query<{ t: string | null }>("SELECT to_regclass('public.instruments')::text AS t");
    return (r.rows[0]?.t ?? null) !== null;
  }

  async all(): Promise<InstrumentRow[]> {
    const r = await this.pool.query<DbRow>("SELECT symbol, name, kind, venue, currency, timezone, price_decimals, tick_size::text, qty_decimals, lot_size::text, underlying, to_char(expiry, 'YYYY-MM-DD') AS expiry, expiry_time, strike::text, option_right, multiplier::text, source FROM instruments ORDER BY symbol");
    return r.rows.map((d) => ({
      symbol: d.symbol,
      name: d.name,
      kind: d.kind,
      venue: d.venue,
      currency: d.currency,
      timezone: d.timezone,
      priceDecimals: d.price_decimals,
      tickSize: Number(d.tick_size),
      qtyDecimals: d.qty_decimals,
      lotSize: Number(d.lot_size),
      underlying: d.underlying,
      expiry: d.expiry,
      expiryTime: d.expiry_time,
      strike: num(d.strike),
      right: d.option_right,
      multiplier: num(d.multiplier),
      source: d.source,
    }));
  }

  /**
   * Insert or update rows (by symbol) in batches; a row equal to the stored one is left alone, so a
   * second import of a file changes nothing. Readers are told with NOTIFY when something changed.
   */
  async upsert(rows: readonly InstrumentRow[], batch = 5000): Promise<UpsertCounts> {
    const counts: UpsertCounts = { inserted: 0, updated: 0, unchanged: 0 };
    return withTransaction(this.pool, async (client) => {
      for (let i = 0; i < rows.length; i += batch) {
        const part = rows.slice(i, i + batch);
        const col = <T>(f: (r: InstrumentRow) => T): T[] => part.map(f);
        const res = await client.query<{ inserted: boolean }>(
          `INSERT INTO instruments AS t (symbol, name, kind, venue, currency, timezone, price_decimals, tick_size, qty_decimals, lot_size, underlying, expiry, expiry_time, strike, option_right, multiplier, source)
           SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::smallint[], $8::numeric[], $9::smallint[], $10::numeric[], $11::text[], $12::date[], $13::text[], $14::numeric[], $15::text[], $16::numeric[], $17::text[])
           ON CONFLICT (symbol) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind, venue = EXCLUDED.venue, currency = EXCLUDED.currency, timezone = EXCLUDED.timezone,
             price_decimals = EXCLUDED.price_decimals, tick_size = EXCLUDED.tick_size, qty_decimals = EXCLUDED.qty_decimals, lot_size = EXCLUDED.lot_size, underlying = EXCLUDED.underlying,
             expiry = EXCLUDED.expiry, expiry_time = EXCLUDED.expiry_time, strike = EXCLUDED.strike, option_right = EXCLUDED.option_right, multiplier = EXCLUDED.multiplier, source = EXCLUDED.source, updated_at = now()
           WHERE (t.name, t.kind, t.venue, t.currency, t.timezone, t.price_decimals, t.tick_size, t.qty_decimals, t.lot_size, t.underlying, t.expiry, t.expiry_time, t.strike, t.option_right, t.multiplier)
             IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.kind, EXCLUDED.venue, EXCLUDED.currency, EXCLUDED.timezone, EXCLUDED.price_decimals, EXCLUDED.tick_size, EXCLUDED.qty_decimals, EXCLUDED.lot_size, EXCLUDED.underlying, EXCLUDED.expiry, EXCLUDED.expiry_time, EXCLUDED.strike, EXCLUDED.option_right, EXCLUDED.multiplier)
           RETURNING (xmax = 0) AS inserted`,
          [
            col((r) => r.symbol), col((r) => r.name), col((r) => r.kind), col((r) => r.venue), col((r) => r.currency), col((r) => r.timezone),
            col((r) => r.priceDecimals), col((r) => String(r.tickSize)), col((r) => r.qtyDecimals), col((r) => String(r.lotSize)), col((r) => r.underlying),
            col((r) => r.expiry), col((r) => r.expiryTime), col((r) => (r.strike === null ? null : String(r.strike))), col((r) => r.right),
            col((r) => (r.multiplier === null ? null : String(r.multiplier))), col((r) => r.source),
          ],
        );
        const ins = res.rows.filter((r) => r.inserted).length;
        counts.inserted += ins;
        counts.updated += res.rows.length - ins;
        counts.unchanged += part.length - res.rows.length;
      }
      if (counts.inserted + counts.updated > 0) await client.query(`SELECT pg_notify('${INSTRUMENTS_CHANNEL}', $1)`, [JSON.stringify(counts)]);
      return counts;
    });
  }
}
