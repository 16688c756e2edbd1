import { closeSync, fdatasyncSync, existsSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';

// A FIX session's persistent state in one append-only file: every outbound application message (for
// resends), every inbound message processed (with what the application made of it), and every
// sequence number change, as CRC-checked frames written with one write(2) before the wire sees the
// message. Opening folds the frames back into the state; a torn last frame is ignored. A process
// crash loses nothing once write(2) returned; a machine crash what was written since the last
// fdatasync (`fsync: true` syncs every frame).

const HEADER = 8;

export type StoreRecord =
  /** An application message sent (or queued while disconnected) under `seq`: resent on request. */
  | { kind: 'out'; seq: number; raw: string; meta?: unknown }
  /** Inbound `seq` processed; `meta` is the application's note of what it did. */
  | { kind: 'in'; seq: number; meta?: unknown }
  /** A session-level message consumed `seq` (sender), or a gap fill / reset moved the expected inbound. */
  | { kind: 'seq'; sender?: number; target?: number }
  /** Both sides start again at 1 (ResetSeqNumFlag, or a new FIX day). */
  | { kind: 'reset' };

export class FileSessionStore {
  private fd: number;
  private readonly sent = new Map<number, string>();
  private readonly notes: { kind: 'in' | 'out'; seq: number; meta: unknown }[] = [];
  nextSender = 1;
  nextTarget = 1;
  private readonly buf = Buffer.allocUnsafe(128 * 1024);

  private constructor(
    readonly path: string,
    private readonly fsync: boolean,
  ) {
    if (existsSync(path)) this.load(readFileSync(path));
    this.fd = openSync(path, 'a');
  }

  static open(dir: string, sessionId: string, fsync = false): FileSessionStore {
    mkdirSync(dir, { recursive: true });
    return new FileSessionStore(join(dir, `${sessionId.replace(/[^A-Za-z0-9._-]/g, '_')}.fixstore`), fsync);
  }

  private load(b: Buffer): void {
    let at = 0;
    while (at + HEADER <= b.length) {
      const len = b.readUInt32LE(at);
      const end = at + HEADER + len;
      if (end > b.length || crc32(b.subarray(at + HEADER, end)) !== b.readUInt32LE(at + 4)) break;
      this.fold(JSON.parse(b.toString('utf8', at + HEADER, end)) as StoreRecord);
      at = end;
    }
  }

  private fold(r: StoreRecord): void {
    switch (r.kind) {
      case 'out':
        this.sent.set(r.seq, r.raw);
        this.nextSender = Math.max(this.nextSender, r.seq + 1);
        if (r.meta !== undefined) this.notes.push({ kind: 'out', seq: r.seq, meta: r.meta });
        break;
      case 'in':
        this.nextTarget = Math.max(this.nextTarget, r.seq + 1);
        if (r.meta !== undefined) this.notes.push({ kind: 'in', seq: r.seq, meta: r.meta });
        break;
      case 'seq':
        if (r.sender !== undefined) this.nextSender = r.sender;
        if (r.target !== undefined) this.nextTarget = r.target;
        break;
      case 'reset':
        this.sent.clear();
        this.nextSender = 1;
        this.nextTarget = 1;
        break;
    }
  }

  /** Persist one change, then apply it: the caller sends only after this returns. */
  append(r: StoreRecord): void {
    const text = JSON.stringify(r);
    const need = HEADER + Buffer.byteLength(text, 'utf8');
    const buf = need <= this.buf.length ? this.buf : Buffer.allocUnsafe(need);
    const len = buf.write(text, HEADER, 'utf8');
    buf.writeUInt32LE(len, 0);
    buf.writeUInt32LE(crc32(buf.subarray(HEADER, HEADER + len)), 4);
    writeSync(this.fd, buf, 0, HEADER + len);
    if (this.fsync) fdatasyncSync(this.fd);
    this.fold(r);
  }

  /** Stored application messages in [from, to] (to = Infinity for all), by sequence number. */
  sentBetween(from: number, to: number): { seq: number; raw: string }[] {
    const out: { seq: number; raw: string }[] = [];
    const last = Math.min(to, this.nextSender - 1);
    for (let s = from; s <= last; s++) {
      const raw = this.sent.get(s);
      if (raw !== undefined) out.push({ seq: s, raw });
    }
    return out;
  }

  /** The applications' notes, in the order they were written (what survives a restart). */
  notesSoFar(): readonly { kind: 'in' | 'out'; seq: number; meta: unknown }[] {
    return this.notes;
  }

  close(): void {
    closeSync(this.fd);
  }
}
