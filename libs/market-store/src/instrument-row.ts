import { instrumentSchema, type InstrumentConfig, type InstrumentKind } from '@hft/config';

/** One row of the instrument master (table instruments), decimals as numbers. */
export interface InstrumentRow {
  symbol: string;
  name: string;
  kind: InstrumentKind;
  venue: string;
  currency: string;
  /** The venue's zone: where its trading day begins (1d candles, previous close). */
  timezone: string;
  priceDecimals: number;
  tickSize: number;
  qtyDecimals: number;
  lotSize: number;
  underlying: string | null;
  /** YYYY-MM-DD (futures and options). */
  expiry: string | null;
  /** HH:MM local to `timezone` (options). */
  expiryTime: string | null;
  strike: number | null;
  right: 'call' | 'put' | null;
  multiplier: number | null;
  /** Who wrote it last: `config` or `import:<file name>`. */
  source: string;
}

/** The columns compared to tell an unchanged row from an update (everything but the source). */
export const ROW_FIELDS = ['name', 'kind', 'venue', 'currency', 'timezone', 'priceDecimals', 'tickSize', 'qtyDecimals', 'lotSize', 'underlying', 'expiry', 'expiryTime', 'strike', 'right', 'multiplier'] as const;

/** A configured instrument as a master row (the [[instruments]] and expanded [[option_chains]]). */
export function rowFromConfig(c: InstrumentConfig, source = 'config'): InstrumentRow {
  const o = c.option;
  return {
    symbol: c.symbol,
    name: c.name ?? (o ? `${o.underlying} ${o.expiry} ${o.strike} ${o.right}` : ''),
    kind: c.kind ?? (o ? 'option' : 'equity'),
    venue: c.venue ?? '',
    currency: c.currency ?? 'USD',
    timezone: c.timezone ?? o?.timezone ?? 'UTC',
    priceDecimals: c.price_decimals,
    tickSize: c.tick_size,
    qtyDecimals: c.qty_decimals,
    lotSize: c.lot_size,
    underlying: o?.underlying ?? null,
    expiry: o?.expiry ?? null,
    expiryTime: o?.expiry_time ?? null,
    strike: o?.strike ?? null,
    right: o?.right ?? null,
    multiplier: o?.multiplier ?? null,
    source,
  };
}

/**
 * A master row as the config entry the instrument registry is built from, validated by the config's
 * own schema (the same grid checks), or the reason it cannot be one.
 */
export function rowToConfig(r: InstrumentRow): { ok: true; config: InstrumentConfig } | { ok: false; why: string } {
  const option =
    r.kind === 'option'
      ? { underlying: r.underlying, expiry: r.expiry, strike: r.strike, right: r.right, multiplier: r.multiplier ?? 100, ...(r.expiryTime ? { expiry_time: r.expiryTime } : {}), ...(r.timezone !== 'UTC' ? { timezone: r.timezone } : {}) }
      : undefined;
  const parsed = instrumentSchema.safeParse({
    symbol: r.symbol,
    price_decimals: r.priceDecimals,
    tick_size: r.tickSize,
    qty_decimals: r.qtyDecimals,
    lot_size: r.lotSize,
    ...(r.name ? { name: r.name } : {}),
    kind: r.kind,
    ...(r.venue ? { venue: r.venue } : {}),
    currency: r.currency,
    timezone: r.timezone,
    ...(option ? { option } : {}),
  });
  if (!parsed.success) return { ok: false, why: parsed.error.issues.map((i) => `${i.path.join('.') || 'row'}: ${i.message}`).join('; ') };
  return { ok: true, config: parsed.data };
}
