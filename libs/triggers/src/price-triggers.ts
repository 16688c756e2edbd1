import { FallTriggers, type TrailingGap } from './fall-triggers.js';

/**
 * Which way a trigger waits: `fall` fires at a price <= its level (sell stops, buy if-touched, sell
 * trailing stops under the high-water mark); `rise` at a price >= its level (buy stops, sell
 * if-touched, buy trailing stops over the low-water mark).
 */
export type TriggerDirection = 'fall' | 'rise';

/**
 * The triggers on one price series (a symbol's last trade, bid, ask or mid). Rises are falls of the
 * negated price, so one structure serves both and both cost the same.
 */
export class PriceTriggers {
  private readonly fall = new FallTriggers();
  private readonly rise = new FallTriggers();

  get size(): number {
    return this.fall.size + this.rise.size;
  }

  addFixed(id: string, direction: TriggerDirection, level: number): void {
    this.assertNew(id);
    if (direction === 'fall') this.fall.addFixed(id, level);
    else this.rise.addFixed(id, -level);
  }

  /** `extreme`: the high-water mark (fall) or low-water mark (rise) to start from. */
  addTrailing(id: string, direction: TriggerDirection, extreme: number, gap: TrailingGap): void {
    this.assertNew(id);
    if (direction === 'fall') this.fall.addTrailing(id, extreme, gap);
    else this.rise.addTrailing(id, -extreme, gap);
  }

  remove(id: string): boolean {
    return this.fall.remove(id) || this.rise.remove(id);
  }

  /** Level and (trailing) extreme now, in prices. */
  state(id: string): { direction: TriggerDirection; level: number; extreme: number | null } | undefined {
    const f = this.fall.state(id);
    if (f) return { direction: 'fall', ...f };
    const r = this.rise.state(id);
    return r && { direction: 'rise', level: -r.level, extreme: r.extreme === null ? null : -r.extreme };
  }

  /** Fires what `price` crosses; `fired` gets each order's id and the level it had. */
  onPrice(price: number, fired: (id: string, level: number) => void): void {
    this.fall.onPrice(price, fired);
    this.rise.onPrice(-price, (id, level) => fired(id, -level));
  }

  private assertNew(id: string): void {
    if (this.fall.has(id) || this.rise.has(id)) throw new RangeError(`trigger ${id} is already held`);
  }
}
