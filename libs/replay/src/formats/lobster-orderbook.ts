import { closeSync, openSync, readSync } from 'node:fs';

/** One row of a LOBSTER orderbook file: the visible top N levels after one message, in LOBSTER price units. */
export interface LobsterBookRow {
  /** [price, size] best first; empty levels (LOBSTER's +-9999999999 dummies) left out. */
  asks: [number, number][];
  bids: [number, number][];
}

const DUMMY = 9999999999;

/**
 * Reads a LOBSTER orderbook file (`askPrice1,askSize1,bidPrice1,bidSize1,...`, one row per message of
 * the message file) row by row, synchronously and in step with the message file, with a fixed buffer.
 */
export class LobsterOrderbookReader {
  private readonly fd: number;
  private readonly buf = Buffer.allocUnsafe(1 << 20);
  private rest = '';
  private eof = false;
  private readonly lines: string[] = [];
  /** Levels per side (N of orderbook_N). */
  levels = 0;
  row = 0;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'r');
  }

  /** The next row, or null at the end of the file; throws on a row that is not 4N numbers. */
  next(): LobsterBookRow | null {
    const line = this.nextLine();
    if (line === null) return null;
    this.row++;
    const f = line.split(',');
    if (this.levels === 0) this.levels = f.length / 4;
    if (f.length !== this.levels * 4 || !Number.isInteger(this.levels) || this.levels === 0) throw new RangeError(`${this.path}:${this.row}: ${f.length} columns, expected ${this.levels * 4 || 'a multiple of 4'}`);
    const asks: [number, number][] = [];
    const bids: [number, number][] = [];
    for (let l = 0; l < this.levels; l++) {
      const [ap, as, bp, bs] = [Number(f[4 * l]), Number(f[4 * l + 1]), Number(f[4 * l + 2]), Number(f[4 * l + 3])];
      if (![ap, as, bp, bs].every(Number.isSafeInteger)) throw new RangeError(`${this.path}:${this.row}: level ${l + 1} is not four integers`);
      if (as > 0 && ap !== DUMMY) asks.push([ap, as]);
      if (bs > 0 && bp !== -DUMMY) bids.push([bp, bs]);
    }
    return { asks, bids };
  }

  close(): void {
    closeSync(this.fd);
  }

  private nextLine(): string | null {
    while (this.lines.length === 0) {
      if (this.eof) {
        if (this.rest === '') return null;
        const last = this.rest;
        this.rest = '';
        return last.trim() === '' ? null : last;
      }
      const n = readSync(this.fd, this.buf, 0, this.buf.length, null);
      if (n === 0) {
        this.eof = true;
        continue;
      }
      const parts = (this.rest + this.buf.toString('latin1', 0, n)).split('\n');
      this.rest = parts.pop()!;
      for (const p of parts) this.lines.push(p.endsWith('\r') ? p.slice(0, -1) : p);
      this.lines.reverse();
    }
    return this.lines.pop()!;
  }
}
