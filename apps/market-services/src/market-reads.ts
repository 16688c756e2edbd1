import { DateTime } from 'luxon';
import { INTERVAL_MS, type CandleInterval, type CandleStore, type StoredCandle } from '@hft/market-store';
import type { CandleRecorder } from './candle-recorder.js';
import type { InstrumentCatalog } from './instrument-catalog.js';
import type { QuoteBook } from './quote-book.js';

/** A candle as the REST API and SSE give it: decimals, ISO start, VWAP, and whether its minutes are all closed. */
export interface CandleView {
  start: string;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  trades: number;
  vwap: number | null;
  closed: boolean;
}

/** Default spans of a history request without `from`, per interval. */
const DEFAULT_SPAN_MS: Record<CandleInterval, number> = { '1m': 86_400_000, '5m': 5 * 86_400_000, '15m': 10 * 86_400_000, '1h': 30 * 86_400_000, '1d': 365 * 86_400_000 };

/**
 * `from`/`to` of a request: ISO 8601 with a zone, a date (midnight in the instrument's zone), or
 * epoch milliseconds (13 digits) / nanoseconds (19 digits). Null when it is none of these.
 */
export function parseWhen(s: string, zone: string): number | null {
  if (/^\d{13}$/.test(s)) return Number(s);
  if (/^\d{19}$/.test(s)) return Number(BigInt(s) / 1_000_000n);
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) {
    const d = DateTime.fromISO(s, { zone });
    return d.isValid ? d.toMillis() : null;
  }
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/.test(s)) {
    const ms = Date.parse(s);
    return Number.isFinite(ms) ? ms : null;
  }
  return null;
}

/** Quotes and candle history: the store's closed minutes with the live minute being built on top. */
export class MarketReads {
  constructor(
    private readonly catalog: InstrumentCatalog,
    private readonly store: CandleStore,
    private readonly recorder: CandleRecorder,
    private readonly book: QuoteBook,
  ) {}

  private view(symbol: string, c: StoredCandle, closed: boolean): CandleView {
    const i = this.catalog.instrument(symbol)!;
    const volume = c.volume / i.qtyScale;
    return {
      start: new Date(c.startMs).toISOString(),
      open: c.open / i.priceScale,
      high: c.high / i.priceScale,
      low: c.low / i.priceScale,
      close: c.close / i.priceScale,
      volume,
      trades: c.trades,
      vwap: volume > 0 ? Math.round((c.turnover / volume) * 1e6) / 1e6 : null,
      closed,
    };
  }

  /** The bucket (start, epoch ms) a minute falls in. */
  bucketOf(symbol: string, ms: number, interval: CandleInterval): number {
    return interval === '1d' ? this.catalog.dayStart(symbol, ms) : Math.floor(ms / INTERVAL_MS[interval]) * INTERVAL_MS[interval];
  }

  /** Where the symbol's data ends: its newest minute in memory, else in the store (null: none). */
  async latestMs(symbol: string): Promise<number | null> {
    return this.recorder.live(symbol).at(-1)?.startMs ?? (await this.store.latest(symbol));
  }

  async candles(symbol: string, interval: CandleInterval, from: number | null, to: number | null, limit: number): Promise<{ from: string; to: string; candles: CandleView[]; truncated: boolean }> {
    const end = to ?? ((await this.latestMs(symbol)) ?? Date.now()) + 60_000;
    const start = from ?? end - DEFAULT_SPAN_MS[interval];
    const live = this.recorder.live(symbol).filter((c) => c.startMs >= start && c.startMs < end);
    const building = this.recorder.current(symbol);
    // The store up to the first minute memory holds; memory from there (see CandleRecorder.live).
    const storedEnd = live[0]?.startMs ?? end;
    const rows = await this.store.history(symbol, start, storedEnd, interval, this.catalog.timezone(symbol), limit + 1);
    const truncated = rows.length > limit;
    const out = rows.slice(0, limit).map((c) => ({ c, closed: true }));
    if (!truncated) {
      for (const m of live) {
        const b = this.bucketOf(symbol, m.startMs, interval);
        const last = out.at(-1);
        const closed = m !== building;
        if (last && last.c.startMs === b) last.c = { ...last.c, high: Math.max(last.c.high, m.high), low: Math.min(last.c.low, m.low), close: m.close, volume: last.c.volume + m.volume, trades: last.c.trades + m.trades, turnover: last.c.turnover + m.turnover };
        else if (out.length < limit) out.push({ c: { ...m, startMs: b }, closed });
        if (!closed && out.at(-1)!.c.startMs === b) out.at(-1)!.closed = false;
      }
    }
    return { from: new Date(start).toISOString(), to: new Date(end).toISOString(), candles: out.map((x) => this.view(symbol, x.c, x.closed)), truncated };
  }

  async quote(symbol: string): Promise<Record<string, unknown>> {
    const row = this.catalog.row(symbol)!;
    const i = this.catalog.instrument(symbol)!;
    const last = this.book.last(symbol);
    const at = last?.tsMs ?? (await this.latestMs(symbol)) ?? Date.now();
    const dayStart = this.catalog.dayStart(symbol, at);
    const live = this.recorder.live(symbol).filter((c) => c.startMs >= dayStart);
    const day = await this.store.dayFigures(symbol, dayStart, live[0]?.startMs ?? at + 60_000);
    let open = day.dayOpen;
    let high = day.dayHigh;
    let low = day.dayLow;
    let volume = day.dayVolume;
    for (const m of live) {
      open ??= m.open;
      high = high === null ? m.high : Math.max(high, m.high);
      low = low === null ? m.low : Math.min(low, m.low);
      volume += m.volume;
    }
    const px = (u: number | null): number | null => (u === null ? null : u / i.priceScale);
    const prev = px(day.prevClose);
    const lastPx = last?.price ?? null;
    const top = this.book.top(symbol);
    const change = lastPx !== null && prev !== null ? Math.round((lastPx - prev) * i.priceScale) / i.priceScale : null;
    return {
      symbol,
      name: row.name,
      kind: row.kind,
      currency: row.currency,
      tradingDay: DateTime.fromMillis(dayStart, { zone: row.timezone }).toISODate(),
      last: lastPx,
      lastSize: last?.qty ?? null,
      lastTradeAt: last ? new Date(last.tsMs).toISOString() : null,
      ...top,
      mid: top.bid !== null && top.ask !== null ? (top.bid + top.ask) / 2 : null,
      open: px(open),
      high: px(high),
      low: px(low),
      volume: volume / i.qtyScale,
      previousClose: prev,
      change,
      changePercent: change !== null && prev ? Math.round((change / prev) * 1e6) / 1e4 : null,
      openInterest: this.book.openInterest(symbol),
    };
  }
}
