import { z } from 'zod';
import { buildupClass, optionValueCode, volDivergenceSignal } from './codes.js';
import { envelopeFields } from './envelope.js';
import { symbol } from './fields.js';

// The option analytics market-data publishes per underlying (topic md.chain.<UNDERLYING>): every
// contract's quote, implied vol and greeks, and the chain's aggregates. Prices are decimals here
// (an analytics message for people and notebooks, not an order-path frame).

const num = z.number().finite();
const maybe = num.nullable();

export const OptionGreeksFields = z
  .object({
    delta: num,
    gamma: num,
    /** Per year of calendar time; thetaDay per calendar day. */
    theta: num,
    thetaDay: num,
    /** Per unit of volatility (1.00 = 100 vol points); rho per unit of rate. */
    vega: num,
    rho: num,
    vanna: num,
    charm: num,
    vomma: num,
  })
  .strict();
export type OptionGreeksFields = z.output<typeof OptionGreeksFields>;

export const OptionQuoteAnalytics = z
  .object({
    symbol,
    bid: maybe,
    ask: maybe,
    last: maybe,
    /** The price the vol was implied from: the mid of a two-sided quote, else the last trade. */
    mark: maybe,
    /** Contracts traded since the replay/session began. */
    volume: num,
    openInterest: maybe,
    /** Open interest now minus the first figure of the session. */
    oiChange: num,
    iv: maybe,
    greeks: OptionGreeksFields.nullable(),
    /** Why iv/greeks are null (`ok` when they are set). */
    code: optionValueCode,
    buildup: buildupClass,
    /** 0-100: how strongly price change, OI change and volume back the buildup class. */
    buildupScore: num,
  })
  .strict();
export type OptionQuoteAnalytics = z.output<typeof OptionQuoteAnalytics>;

export const ChainStrike = z
  .object({
    strike: num,
    call: OptionQuoteAnalytics.nullable(),
    put: OptionQuoteAnalytics.nullable(),
    /** Dealer gamma exposure at this strike, currency per 1% move of the underlying (calls +, puts -). */
    gex: num,
  })
  .strict();

export const ChainExpiry = z
  .object({
    expiry: z.string(),
    /** The instant it expires (ISO 8601 UTC) and the ACT/365 years left at the snapshot. */
    expiresAt: z.string(),
    years: num,
    atmIv: maybe,
    maxPain: maybe,
    /** Put/call ratios of open interest and of volume (null when the call side is 0). */
    pcrOi: maybe,
    pcrVolume: maybe,
    gex: num,
    /** Strikes of the largest call and put gamma exposure (the "walls"). */
    callWall: maybe,
    putWall: maybe,
    strikes: z.array(ChainStrike),
  })
  .strict();
export type ChainExpiry = z.output<typeof ChainExpiry>;

/**
 * ATM implied vol against the configured volatility index: spread = atmIvPoints - level, baseline its
 * mean over the window of data time, divergence = spread - baseline (all in vol points).
 */
export const VolIndexDivergence = z
  .object({
    index: symbol,
    level: maybe,
    atmIvPoints: maybe,
    spread: maybe,
    baseline: maybe,
    divergence: maybe,
    thresholdPoints: num,
    signal: volDivergenceSignal,
  })
  .strict();
export type VolIndexDivergence = z.output<typeof VolIndexDivergence>;

export const OptionChainSnapshot = z
  .object({
    type: z.literal('OptionChainSnapshot'),
    ...envelopeFields,
    underlying: symbol,
    /** The underlying's price: its mid, else its last trade; null before either. */
    spot: maybe,
    rate: num,
    dividendYield: num,
    expiries: z.array(ChainExpiry),
    totals: z
      .object({ gex: num, pcrOi: maybe, pcrVolume: maybe, callWall: maybe, putWall: maybe, atmIv: maybe })
      .strict(),
    /** The VIX-divergence signal; null when no volatility index is configured for the underlying. */
    volIndex: VolIndexDivergence.nullable(),
  })
  .strict();
export type OptionChainSnapshot = z.output<typeof OptionChainSnapshot>;
