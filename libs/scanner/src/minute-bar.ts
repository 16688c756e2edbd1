/** A closed 1-minute bar in decimals, the scanner's input. */
export interface MinuteBar {
  symbol: string;
  startMs: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  turnover: number;
}

/** What the scanner knows of an instrument's earlier trading days (from the candle store). */
export interface PriorDays {
  /** Days found (at most lookback_days). */
  days: number;
  high: number | null;
  /** Averages over the days' non-overlapping windows of window_minutes. */
  windowVolume: number | null;
  windowRange: number | null;
}

/** Fold earlier days' minutes (oldest first) into PriorDays: the last `lookbackDays` days by `dayOf`. */
export function priorDays(bars: readonly MinuteBar[], lookbackDays: number, windowMinutes: number, dayOf: (ms: number) => number): PriorDays {
  const byDay = new Map<number, MinuteBar[]>();
  for (const b of bars) {
    const d = dayOf(b.startMs);
    const list = byDay.get(d) ?? [];
    list.push(b);
    byDay.set(d, list);
  }
  const days = [...byDay.keys()].sort((a, b) => a - b).slice(-lookbackDays);
  if (days.length === 0) return { days: 0, high: null, windowVolume: null, windowRange: null };
  let high = -Infinity;
  const vols: number[] = [];
  const ranges: number[] = [];
  const w = windowMinutes * 60_000;
  for (const d of days) {
    const windows = new Map<number, { v: number; h: number; l: number }>();
    for (const b of byDay.get(d)!) {
      high = Math.max(high, b.high);
      const k = Math.floor(b.startMs / w);
      const x = windows.get(k);
      if (!x) windows.set(k, { v: b.volume, h: b.high, l: b.low });
      else {
        x.v += b.volume;
        x.h = Math.max(x.h, b.high);
        x.l = Math.min(x.l, b.low);
      }
    }
    for (const x of windows.values()) {
      vols.push(x.v);
      ranges.push(x.h - x.l);
    }
  }
  const mean = (xs: number[]): number | null => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
  return { days: days.length, high, windowVolume: mean(vols), windowRange: mean(ranges) };
}
