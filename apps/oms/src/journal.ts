import { closeSync, fdatasync, fdatasyncSync, fstatSync, ftruncateSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { ERR_JOURNAL_CORRUPT } from './errors.js';

// The OMS's write-ahead journal: an append-only file of records written (one write(2) per input)
// before anything is sent, then committed to Postgres in batches behind the send. A process crash
// loses nothing once write(2) has returned (the kernel holds the page); a machine crash loses at most
// what was written since the last fdatasync (`fsync` policy). A frame is: u32 payload length, u32 CRC-32
// of the rest, f64 lsn, payload (the caller's record text, UTF-8). A torn last frame is cut off when
// the journal is opened.

const HEADER = 16;
const SEGMENT = /^journal-(\d{16})\.log$/;

export type FsyncPolicy = 'always' | 'interval' | 'never';

export interface JournalOptions {
  /** Start a new segment file beyond this size. */
  segmentBytes: number;
  fsync: FsyncPolicy;
  fsyncIntervalMs: number;
}

export interface JournalEntry {
  lsn: number;
  /** The record as the caller encoded it. */
  text: string;
}

function frame(lsn: number, text: string, into: Buffer, at: number): number {
  const len = into.write(text, at + HEADER, 'utf8');
  into.writeUInt32LE(len, at);
  into.writeDoubleLE(lsn, at + 8);
  into.writeUInt32LE(crc32(into.subarray(at + 8, at + HEADER + len)), at + 4);
  return HEADER + len;
}

/** Read the frames of one segment; `torn` is the offset of a bad frame (where the valid data ends). */
function readSegment(path: string): { entries: JournalEntry[]; torn: number | null; bytes: number } {
  const buf = readFileSync(path);
  const entries: JournalEntry[] = [];
  let at = 0;
  while (at < buf.length) {
    if (at + HEADER > buf.length) return { entries, torn: at, bytes: buf.length };
    const len = buf.readUInt32LE(at);
    const crc = buf.readUInt32LE(at + 4);
    const end = at + HEADER + len;
    if (end > buf.length || crc32(buf.subarray(at + 8, end)) !== crc) return { entries, torn: at, bytes: buf.length };
    entries.push({ lsn: buf.readDoubleLE(at + 8), text: buf.subarray(at + HEADER, end).toString('utf8') });
    at = end;
  }
  return { entries, torn: null, bytes: buf.length };
}

/** An append-only journal of text records, each with its log sequence number (lsn). */
export class Journal {
  private fd: number;
  private size: number;
  private lastLsn: number;
  private segments: { first: number; last: number; path: string }[];
  private dirty = false;
  /** Reused for every write: the order path allocates no buffer per record. */
  private buf = Buffer.allocUnsafe(64 * 1024);
  private syncing = false;
  private readonly timer: NodeJS.Timeout | null;

  private constructor(
    private readonly dir: string,
    private readonly o: JournalOptions,
    segments: { first: number; last: number; path: string }[],
    lastLsn: number,
  ) {
    this.segments = segments;
    this.lastLsn = lastLsn;
    const current = segments.at(-1);
    if (current) {
      this.fd = openSync(current.path, 'a');
      this.size = fstatSync(this.fd).size;
    } else {
      const path = join(dir, `journal-${String(lastLsn + 1).padStart(16, '0')}.log`);
      this.fd = openSync(path, 'a');
      this.size = 0;
      this.segments.push({ first: lastLsn + 1, last: lastLsn, path });
    }
    this.timer = o.fsync === 'interval' ? setInterval(() => this.syncSoon(), o.fsyncIntervalMs) : null;
    this.timer?.unref();
  }

  /**
   * Open the journal in `dir` for the ledger `ledgerId`, returning the records after `afterLsn` (what the
   * ledger has not committed). A journal written for another ledger is moved aside, never replayed.
   */
  static open(dir: string, ledgerId: string, afterLsn: number, o: JournalOptions, warn: (msg: string, extra: object) => void): { journal: Journal; tail: JournalEntry[] } {
    mkdirSync(dir, { recursive: true });
    const idFile = join(dir, 'LEDGER_ID');
    let owner: string | null = null;
    try {
      owner = readFileSync(idFile, 'utf8').trim();
    } catch {
      owner = null;
    }
    const files = readdirSync(dir).filter((f) => SEGMENT.test(f)).sort();
    if (owner !== ledgerId && files.length) {
      const aside = `${dir}.other-ledger-${Date.now()}`;
      renameSync(dir, aside);
      mkdirSync(dir, { recursive: true });
      warn('journal belongs to another ledger (database reset or replaced): moved aside, not replayed', { aside, journalLedger: owner, ledger: ledgerId });
      files.length = 0;
    }
    if (owner !== ledgerId) writeFileSyncAtomic(idFile, ledgerId);
    const segments: { first: number; last: number; path: string }[] = [];
    const tail: JournalEntry[] = [];
    let lastLsn = afterLsn;
    files.forEach((f, i) => {
      const path = join(dir, f);
      const { entries, torn, bytes } = readSegment(path);
      if (torn !== null) {
        if (i !== files.length - 1) throw ERR_JOURNAL_CORRUPT(path, torn);
        // The last write was cut short by a machine crash: it never returned, so nothing was sent for it.
        const fd = openSync(path, 'r+');
        ftruncateSync(fd, torn);
        closeSync(fd);
        warn('journal ended in a torn frame: cut off', { path, offset: torn, bytes });
      }
      const first = Number(SEGMENT.exec(f)![1]);
      const last = entries.at(-1)?.lsn ?? first - 1;
      segments.push({ first, last, path });
      for (const e of entries) {
        if (e.lsn > afterLsn) tail.push(e);
        if (e.lsn > lastLsn) lastLsn = e.lsn;
      }
    });
    const j = new Journal(dir, o, segments, lastLsn);
    j.committed(afterLsn);
    return { journal: j, tail };
  }

  get lsn(): number {
    return this.lastLsn;
  }

  /** Append records with one write; returns their lsns. Durable against a process crash on return. */
  append(texts: readonly string[]): number[] {
    if (!texts.length) return [];
    if (this.size >= this.o.segmentBytes) this.rotate();
    let need = 0;
    for (const t of texts) need += HEADER + Buffer.byteLength(t, 'utf8');
    if (this.buf.length < need) this.buf = Buffer.allocUnsafe(Math.max(need, this.buf.length * 2));
    const lsns: number[] = [];
    let used = 0;
    for (const t of texts) {
      lsns.push(++this.lastLsn);
      used += frame(this.lastLsn, t, this.buf, used);
    }
    let off = 0;
    while (off < used) off += writeSync(this.fd, this.buf, off, used - off);
    this.size += used;
    this.segments.at(-1)!.last = this.lastLsn;
    if (this.o.fsync === 'always') fdatasyncSync(this.fd);
    else this.dirty = true;
    return lsns;
  }

  /** The ledger holds everything up to `lsn`: delete the segments it covers (never the current one). */
  committed(lsn: number): void {
    while (this.segments.length > 1 && this.segments[0]!.last <= lsn) {
      unlinkSync(this.segments.shift()!.path);
    }
  }

  private rotate(): void {
    this.syncNow();
    closeSync(this.fd);
    const path = join(this.dir, `journal-${String(this.lastLsn + 1).padStart(16, '0')}.log`);
    this.fd = openSync(path, 'a');
    this.size = 0;
    this.segments.push({ first: this.lastLsn + 1, last: this.lastLsn, path });
  }

  private syncSoon(): void {
    if (!this.dirty || this.syncing) return;
    this.dirty = false;
    this.syncing = true;
    // Off the event loop (libuv thread pool): the order path never waits for the disk.
    fdatasync(this.fd, () => (this.syncing = false));
  }

  private syncNow(): void {
    if (this.o.fsync !== 'never') fdatasyncSync(this.fd);
    this.dirty = false;
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.syncNow();
    closeSync(this.fd);
  }
}

function writeFileSyncAtomic(path: string, text: string): void {
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w');
  writeSync(fd, text);
  fdatasyncSync(fd);
  closeSync(fd);
  renameSync(tmp, path);
}
