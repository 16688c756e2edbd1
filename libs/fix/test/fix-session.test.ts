import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeFix, FileSessionStore, FixFramer, FixSession, fixTime, type Frame, type SessionApplication } from '../src/index.js';

const settings = { beginString: 'FIX.4.4', ourCompId: 'HFT', theirCompId: 'C1', maxHeartBtInt: 60, maxClockSkewMs: 120_000 };

/** A counterparty on the other end of a fake connection: what we sent, decoded. */
function peer() {
  const framer = new FixFramer();
  const got: Frame[] = [];
  let ended = false;
  const conn = {
    write(raw: Buffer) {
      framer.push(raw);
      for (let f = framer.next(); f; f = framer.next()) if (!('garbled' in f)) got.push(f);
    },
    end() {
      ended = true;
    },
  };
  let seq = 1;
  const frame = (type: string, body: [number, string | number][] = [], o: { seq?: number; possDup?: boolean } = {}): Frame => {
    const raw = encodeFix('FIX.4.4', [[35, type], [49, 'C1'], [56, 'HFT'], [34, o.seq ?? seq++], ...(o.possDup ? ([[43, 'Y']] as [number, string][]) : []), [52, fixTime(Date.now())], ...body]);
    const f = new FixFramer();
    f.push(raw);
    return f.next() as Frame;
  };
  return { conn, got, frame, ended: () => ended, setSeq: (n: number) => (seq = n), types: () => got.map((f) => f.msg.type) };
}

const app = (onMessage: SessionApplication['onMessage'] = () => ({})): SessionApplication => ({ authenticate: async () => ({ ok: true }), onMessage });
const tick = () => new Promise((r) => setTimeout(r, 10));

describe('FIX session layer', () => {
  it('frames a byte stream in any chunks, and skips garbage and bad checksums to the next BeginString', () => {
    const a = encodeFix('FIX.4.4', [[35, '0'], [49, 'A'], [56, 'B'], [34, 1], [52, fixTime(0)]]);
    const bad = Buffer.from(a.toString('latin1').replace(/10=\d{3}/, '10=999'), 'latin1');
    const stream = Buffer.concat([Buffer.from('junk'), a, bad, a]);
    for (const size of [1, 5, 64, stream.length]) {
      const f = new FixFramer();
      const out: string[] = [];
      for (let i = 0; i < stream.length; i += size) {
        f.push(stream.subarray(i, i + size));
        for (let x = f.next(); x; x = f.next()) out.push('garbled' in x ? `garbled:${x.why.split(' ')[0]}` : x.msg.type);
      }
      expect(out.filter((o) => !o.startsWith('garbled')), `chunks of ${size}`).toEqual(['0', '0']);
      expect(out.indexOf('garbled:CheckSum'), `chunks of ${size}`).toBe(out.lastIndexOf('garbled:CheckSum'));
      expect(out.slice(out.indexOf('0') + 1, out.lastIndexOf('0')), `chunks of ${size}`).toEqual(['garbled:CheckSum']);
    }
  });

  it('logs on, answers a TestRequest, asks for a resend on a gap and takes the resent messages in order', async () => {
    const store = FileSessionStore.open(mkdtempSync(join(tmpdir(), 'fix-')), 's');
    const seen: number[] = [];
    const s = new FixSession(settings, store, app((m) => (seen.push(m.seqNum), {})));
    const p = peer();
    s.attach(p.conn, p.frame('A', [[98, 0], [108, 30]]));
    await tick();
    s.onFrame(p.frame('1', [[112, 'x']]));
    expect(p.types()).toEqual(['A', '0']);
    s.onFrame(p.frame('D', [], { seq: 5 }));
    expect(p.got.at(-1)!.msg.get(7)).toBe('3');
    s.onFrame(p.frame('D', [], { seq: 6 }));
    expect(p.types().filter((t) => t === '2')).toHaveLength(1);
    // The counterparty fills 3-4 and resends 5-6.
    s.onFrame(p.frame('4', [[123, 'Y'], [36, 5]], { seq: 3, possDup: true }));
    s.onFrame(p.frame('D', [], { seq: 5, possDup: true }));
    s.onFrame(p.frame('D', [], { seq: 6, possDup: true }));
    expect(seen).toEqual([5, 6]);
    expect(store.nextTarget).toBe(7);
  });

  it('resends stored application messages with PossDupFlag and gap-fills the session messages between, after a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fix-'));
    let store = FileSessionStore.open(dir, 's');
    let s = new FixSession(settings, store, app());
    let p = peer();
    s.attach(p.conn, p.frame('A', [[98, 0], [108, 30]]));
    await tick();
    s.sendApp('8', [[11, 'a']]);
    s.onFrame(p.frame('1', [[112, 'x']]));
    s.sendApp('8', [[11, 'b']]);
    store.close();
    // A new process: the store says where both sides were.
    store = FileSessionStore.open(dir, 's');
    expect([store.nextSender, store.nextTarget]).toEqual([5, 3]);
    s = new FixSession(settings, store, app());
    p = peer();
    p.setSeq(3);
    s.attach(p.conn, p.frame('A', [[98, 0], [108, 30]]));
    await tick();
    s.onFrame(p.frame('2', [[7, 1], [16, 0]]));
    const resent = p.got.slice(1).map((f) => [f.msg.type, f.msg.seqNum, f.msg.get(43), f.msg.get(123) ?? f.msg.get(11)]);
    expect(resent).toEqual([
      ['4', 1, 'Y', 'Y'],
      ['8', 2, 'Y', 'a'],
      ['4', 3, 'Y', 'Y'],
      ['8', 4, 'Y', 'b'],
      ['4', 5, 'Y', 'Y'],
    ]);
  });

  it('logs out with the reason on a sequence number too low, and refuses a second connection', async () => {
    const s = new FixSession(settings, FileSessionStore.open(mkdtempSync(join(tmpdir(), 'fix-')), 's'), app());
    const p = peer();
    s.attach(p.conn, p.frame('A', [[98, 0], [108, 30]]));
    await tick();
    const q = peer();
    expect(s.attach(q.conn, q.frame('A', [[98, 0], [108, 30]]))).toBe(false);
    expect(q.got[0]!.msg.get(58)).toBe('session already logged on from another connection');
    s.onFrame(p.frame('0', [], { seq: 1 }));
    expect(p.got.at(-1)!.msg.type).toBe('5');
    expect(p.got.at(-1)!.msg.get(58)).toBe('MsgSeqNum too low, expecting 2 but received 1');
  });
});
