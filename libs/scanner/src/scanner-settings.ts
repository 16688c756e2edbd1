import type { ScannerSignalName } from '@hft/messages';

export interface ScannerSettings {
  everyMinutes: number;
  lookbackDays: number;
  windowMinutes: number;
  top: number;
  minScore: number;
  weights: Record<ScannerSignalName, number>;
}

/** The config's [market_services.scanner] weights (snake_case) as signal names. */
export function scannerWeights(w: { breakout: number; volume_surge: number; vwap_distance: number; range_expansion: number; momentum: number }): Record<ScannerSignalName, number> {
  return { breakout: w.breakout, volumeSurge: w.volume_surge, vwapDistance: w.vwap_distance, rangeExpansion: w.range_expansion, momentum: w.momentum };
}
