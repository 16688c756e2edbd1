import { SCANNER_SIGNALS, type ScannerSignalName, type ScannerSignals, type ScannerSuggestion } from '@hft/messages';
import type { MinuteBar, PriorDays } from './minute-bar.js';
import type { ScannerSettings } from './scanner-settings.js';

export interface ScanResult {
  asOfMs: number;
  ranked: number;
  skipped: number;
  suggestions: ScannerSuggestion[];
  /** Every ranked instrument, best first (the REST view shows them all). */
  all: ScannerSuggestion[];
}

interface Today {
  day: number;
  bars: MinuteBar[];
  volume: number;
  turnover: number;
}

const MINUTE_MS = 60_000;

/**
 * Ranks instruments by momentum and breakout signals at each scan time of exchange time: per
 * instrument the signals of ScannerSignals from today's closed minutes and its earlier days, then
 * each signal's z-score across the instruments of the scan, weighted and summed. Deterministic:
 * the same minutes give the same ranking, live or replayed.
 */
export class Scanner {
  private readonly today = new Map<string, Today>();
  private readonly prior = new Map<string, PriorDays>();
  /** Next scan time (epoch ms), on the every_minutes grid. */
  nextScanMs: number | null = null;

  constructor(
    readonly settings: ScannerSettings,
    /** The trading day (its start, epoch ms) a minute belongs to, in the instrument's venue zone. */
    private readonly dayOf: (symbol: string, ms: number) => number,
  ) {}

  setPrior(symbol: string, p: PriorDays): void {
    this.prior.set(symbol, p);
  }

  priorOf(symbol: string): PriorDays | undefined {
    return this.prior.get(symbol);
  }

  /** A closed minute of an instrument of the universe. */
  onMinute(b: MinuteBar): void {
    const day = this.dayOf(b.symbol, b.startMs);
    let t = this.today.get(b.symbol);
    if (!t || t.day !== day) {
      t = { day, bars: [], volume: 0, turnover: 0 };
      this.today.set(b.symbol, t);
    }
    t.bars.push(b);
    t.volume += b.volume;
    t.turnover += b.turnover;
  }

  /** The scan times exchange time `nowMs` has reached (usually none or one), advancing the schedule. */
  due(nowMs: number): number[] {
    const every = this.settings.everyMinutes * MINUTE_MS;
    if (this.nextScanMs === null) this.nextScanMs = Math.floor(nowMs / every) * every + every;
    const out: number[] = [];
    while (nowMs >= this.nextScanMs && out.length < 1000) {
      out.push(this.nextScanMs);
      this.nextScanMs += every;
    }
    if (nowMs >= this.nextScanMs) this.nextScanMs = Math.floor(nowMs / every) * every + every;
    return out;
  }

  scan(asOfMs: number, universe: readonly string[]): ScanResult {
    const s = this.settings;
    const from = asOfMs - s.windowMinutes * MINUTE_MS;
    const rows: { symbol: string; last: number; signals: ScannerSignals }[] = [];
    let skipped = 0;
    for (const symbol of universe) {
      const t = this.today.get(symbol);
      const bars = t && t.day === this.dayOf(symbol, asOfMs - 1) ? t.bars.filter((b) => b.startMs < asOfMs) : [];
      const window = bars.filter((b) => b.startMs >= from);
      if (window.length === 0) {
        skipped++;
        continue;
      }
      const last = window.at(-1)!.close;
      const earlier = bars.filter((b) => b.startMs < from);
      const p = this.prior.get(symbol);
      const vol = window.reduce((a, b) => a + b.volume, 0);
      const range = Math.max(...window.map((b) => b.high)) - Math.min(...window.map((b) => b.low));
      const dayVolume = bars.reduce((a, b) => a + b.volume, 0);
      const dayTurnover = bars.reduce((a, b) => a + b.turnover, 0);
      const vwap = dayVolume > 0 ? dayTurnover / dayVolume : null;
      // Without earlier days in the store, the day's own earlier windows stand in for the usual volume and range.
      const usual = p?.windowVolume ?? windowAverage(earlier, s.windowMinutes, (xs) => xs.reduce((a, b) => a + b.volume, 0));
      const usualRange = p?.windowRange ?? windowAverage(earlier, s.windowMinutes, (xs) => Math.max(...xs.map((b) => b.high)) - Math.min(...xs.map((b) => b.low)));
      const priorHigh = p?.high ?? null;
      rows.push({
        symbol,
        last,
        signals: {
          breakout: priorHigh ? round(((last - priorHigh) / priorHigh) * 1e4) : null,
          volumeSurge: usual ? round(vol / usual) : null,
          vwapDistance: vwap ? round(((last - vwap) / vwap) * 1e4) : null,
          rangeExpansion: usualRange ? round(range / usualRange) : null,
          momentum: round(((last - window[0]!.open) / window[0]!.open) * 1e4),
        },
      });
    }
    const z = zScores(rows.map((r) => r.signals));
    const scored = rows.map((r, i) => {
      let score = 0;
      for (const k of SCANNER_SIGNALS) score += s.weights[k] * (z[i]![k] ?? 0);
      const reasons = SCANNER_SIGNALS.filter((k) => s.weights[k] > 0 && (z[i]![k] ?? 0) >= 1).sort((a, b) => (z[i]![b] ?? 0) - (z[i]![a] ?? 0));
      return { symbol: r.symbol, score: round(score), last: r.last, signals: r.signals, reasons };
    });
    scored.sort((a, b) => b.score - a.score || (a.symbol < b.symbol ? -1 : 1));
    const all = scored.map((x, i) => ({ rank: i + 1, ...x }));
    return { asOfMs, ranked: rows.length, skipped, all, suggestions: all.filter((x) => x.score >= s.minScore).slice(0, s.top) };
  }
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}

function windowAverage(bars: readonly MinuteBar[], windowMinutes: number, measure: (xs: MinuteBar[]) => number): number | null {
  if (bars.length === 0) return null;
  const w = windowMinutes * MINUTE_MS;
  const groups = new Map<number, MinuteBar[]>();
  for (const b of bars) {
    const k = Math.floor(b.startMs / w);
    groups.set(k, [...(groups.get(k) ?? []), b]);
  }
  const xs = [...groups.values()].map(measure);
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** Each signal's z-score across the instruments that have it (0 when they all agree). */
function zScores(signals: readonly ScannerSignals[]): Partial<Record<ScannerSignalName, number>>[] {
  const out = signals.map(() => ({}) as Partial<Record<ScannerSignalName, number>>);
  for (const k of SCANNER_SIGNALS) {
    const xs = signals.map((s) => s[k]).filter((x): x is number => x !== null);
    if (xs.length === 0) continue;
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
    signals.forEach((s, i) => {
      const x = s[k];
      if (x !== null) out[i]![k] = sd > 0 ? (x - mean) / sd : 0;
    });
  }
  return out;
}
