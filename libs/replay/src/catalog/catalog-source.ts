import { readFileSync } from 'node:fs';
import { Aggressor } from '@hft/messages';
import { ERR_CATALOG_BAD_PARTITION, ERR_CATALOG_EMPTY } from '../errors.js';
import type { RawTick } from '../raw-tick.js';
import type { ReplayInstruments } from '../replay-instruments.js';
import type { SourceOptions, TickStream } from '../tick-stream.js';
import { decodePartition, type DecodedPartition } from './catalog-columns.js';
import { listPartitions, type CatalogSelection, type Partition } from './catalog-layout.js';

interface Lane {
  p: DecodedPartition;
  sym: number;
  priceScale: number;
  qtyScale: number;
  at: number;
}

/**
 * Ticks from the catalog, a day at a time: every selected symbol's partition of the day is decoded
 * into typed columns, then merged by time (ties by the order they were imported in) into reused tick
 * objects. Nothing is parsed and nothing is allocated per tick; a tick is valid until the next call.
 */
export class CatalogSource implements TickStream {
  readonly format = 'catalog' as const;
  readonly totalBytes: number;
  bytesRead = 0;
  private readonly days: Partition[][];
  private day = 0;
  private lanes: Lane[] = [];
  private pool: RawTick[] = [];

  constructor(
    readonly root: string,
    sel: CatalogSelection,
    private readonly instruments: ReplayInstruments,
    private readonly opts: SourceOptions,
  ) {
    const parts = listPartitions(root, sel);
    if (parts.length === 0) throw ERR_CATALOG_EMPTY(root, describe(sel));
    this.totalBytes = parts.reduce((n, p) => n + p.bytes, 0);
    const byDay = new Map<string, Partition[]>();
    for (const p of parts) {
      const day = byDay.get(p.date);
      if (day) day.push(p);
      else byDay.set(p.date, [p]);
    }
    this.days = [...byDay.values()];
  }

  // Async by the TickStream contract; decoding a day is synchronous (one call per partition).
  async next(max: number): Promise<RawTick[] | null> {
    while (this.lanes.length === 0) {
      if (this.day >= this.days.length) return null;
      this.openDay(this.days[this.day++]!);
    }
    if (this.pool.length < max) for (let i = this.pool.length; i < max; i++) this.pool.push({ sec: 0, nsec: 0, sym: 0, kind: 0, aggressor: Aggressor.Unknown, priceUnits: 0, qtyUnits: 0, more: false });
    const out = this.pool.slice(0, max);
    let n = 0;
    const lanes = this.lanes;
    if (lanes.length === 1) {
      const l = lanes[0]!;
      const end = Math.min(l.p.length, l.at + max);
      while (l.at < end) this.fill(out[n++]!, l, l.at++);
    } else {
      while (n < max && lanes.length > 0) {
        // Earliest head; ties go to the tick imported first (a handful of lanes: a scan beats a heap).
        let best = lanes[0]!;
        let bt = best.p.dayNs[best.at]!;
        for (let k = 1; k < lanes.length; k++) {
          const l = lanes[k]!;
          const t = l.p.dayNs[l.at]!;
          if (t < bt || (t === bt && l.p.row[l.at]! < best.p.row[best.at]!)) {
            best = l;
            bt = t;
          }
        }
        this.fill(out[n++]!, best, best.at++);
        if (best.at >= best.p.length) lanes.splice(lanes.indexOf(best), 1);
      }
    }
    if (lanes.length === 1 && lanes[0]!.at >= lanes[0]!.p.length) lanes.length = 0;
    out.length = n;
    return out;
  }

  private fill(t: RawTick, l: Lane, i: number): void {
    const p = l.p;
    const ns = p.dayNs[i]!;
    const s = Math.floor(ns / 1e9);
    t.sec = p.midnightSec + s;
    t.nsec = ns - s * 1e9;
    t.sym = l.sym;
    t.kind = p.kind[i]! as RawTick['kind'];
    t.aggressor = p.side[i]! as Aggressor;
    // Decimals back to units with the instrument's scale: the one rounding of the way back.
    t.priceUnits = Math.round(p.price[i]! * l.priceScale);
    t.qtyUnits = Math.round(p.qty[i]! * l.qtyScale);
    t.more = p.more !== null && p.more[i] === 1;
  }

  private openDay(parts: Partition[]): void {
    for (const part of parts) {
      const sym = this.instruments.indexOf(part.symbol);
      const bytes = readFileSync(part.path);
      this.bytesRead += part.bytes;
      if (sym === undefined) {
        this.opts.onBadRow({ reason: 'unknown_symbol', detail: `partition of ${part.symbol}, which is not in [[instruments]] or the master: left out`, file: part.path, line: 0 });
        continue;
      }
      let p: DecodedPartition;
      try {
        p = decodePartition(bytes);
      } catch (e) {
        throw ERR_CATALOG_BAD_PARTITION(part.path, (e as Error).message);
      }
      if (p.length === 0) continue;
      const inst = this.instruments.list[sym]!;
      this.lanes.push({ p, sym, priceScale: 10 ** inst.priceDecimals, qtyScale: 10 ** inst.qtyDecimals, at: 0 });
    }
  }

  close(): void {
    this.lanes = [];
    this.day = this.days.length;
  }
}

function describe(sel: CatalogSelection): string {
  const parts = [sel.symbols ? `of ${sel.symbols.join(', ')}` : '', sel.fromDate || sel.toDate ? `from ${sel.fromDate ?? 'the start'} to ${sel.toDate ?? 'the end'}` : ''].filter(Boolean);
  return parts.length ? parts.join(' ') : 'at all';
}
