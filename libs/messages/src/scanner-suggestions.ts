import { z } from 'zod';
import { envelopeFields } from './envelope.js';
import { symbol } from './fields.js';

// The market-services scanner's ranking, published every N minutes of exchange time on topic
// scan.suggestions (endpoint scanner). Figures are decimals: a message for strategies, people and
// notebooks, not an order-path frame.

const num = z.number().finite();
const maybe = num.nullable();

/** The signals a scan measures per instrument (null: not enough history for it). */
export const ScannerSignals = z
  .object({
    /** Last price against the high of the previous lookback_days trading days, basis points (> 0: above it, a breakout). */
    breakout: maybe,
    /** Volume of the last window_minutes against the average window of the lookback, as a ratio (2 = twice the usual). */
    volumeSurge: maybe,
    /** Last price against the day's VWAP, basis points. */
    vwapDistance: maybe,
    /** High-low range of the last window against the average window's range, as a ratio. */
    rangeExpansion: maybe,
    /** Return over the last window, basis points. */
    momentum: maybe,
  })
  .strict();
export type ScannerSignals = z.output<typeof ScannerSignals>;

export const SCANNER_SIGNALS = ['breakout', 'volumeSurge', 'vwapDistance', 'rangeExpansion', 'momentum'] as const satisfies readonly (keyof ScannerSignals)[];
export type ScannerSignalName = (typeof SCANNER_SIGNALS)[number];

export const ScannerSuggestion = z
  .object({
    rank: z.number().int().min(1),
    symbol,
    /** Weighted sum of the signals' cross-sectional z-scores (each instrument against the others of this scan). */
    score: num,
    last: num,
    signals: ScannerSignals,
    /** The signals whose z-score is 1 or more, strongest first: why it was suggested. */
    reasons: z.array(z.enum(SCANNER_SIGNALS)),
  })
  .strict();
export type ScannerSuggestion = z.output<typeof ScannerSuggestion>;

export const ScannerSuggestions = z
  .object({
    type: z.literal('ScannerSuggestions'),
    ...envelopeFields,
    /** The scan's exchange time (tsEvent) as ISO 8601 UTC. */
    asOf: z.string(),
    everyMinutes: z.number().int().min(1),
    lookbackDays: z.number().int().min(1),
    windowMinutes: z.number().int().min(1),
    /** Instruments ranked, and those left out for lack of a trade in the window. */
    ranked: z.number().int().min(0),
    skipped: z.number().int().min(0),
    suggestions: z.array(ScannerSuggestion),
  })
  .strict();
export type ScannerSuggestions = z.output<typeof ScannerSuggestions>;
