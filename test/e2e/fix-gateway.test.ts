// The FIX gateway against a real FIX engine: QuickFIX/J as the counterparty (test/fix-client), the
// whole platform behind the gateway. Logon with platform credentials, orders that rest and fill,
// status and mass status, cancel/replace (and one risk refuses), cancel and cancel reject, a forced sequence gap (ResendRequest -> gap fill),
// the kill-switch, and the gateway killed with SIGKILL and restarted while orders change: every
// execution report arrives once, none lost, and each order ends as the ledger says. A raw TCP client
// checks the refusals QuickFIX/J would never send.
import { mkdtempSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeFix, FixFramer, fixTime, type Frame } from '@hft/fix';
import { startTestPlatform, until, type TestPlatform } from '@hft/testing';
import { buildFixClient, FixClient } from './fix-client.js';

const PASSWORD = 'fix client password 1';
let P: TestPlatform;
let client: FixClient;
let fixPort: number;

const er = (f: Record<string, string>, clOrdId: string, execType?: string): boolean => f['35'] === '8' && f['11'] === clOrdId && (execType === undefined || f['150'] === execType);

function killSwitch(token: string, engaged: boolean, reason: string): Promise<Response> {
  return fetch(P.url('monitoring', '/api/risk/kill-switch'), {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ engaged, scope: 'global', reason }),
  });
}

beforeAll(async () => {
  const classpath = buildFixClient();
  P = await startTestPlatform({
    speed: '1',
    loop: true,
    files: ['data/market_data.csv'],
    env: {
      HFT__FIX_GATEWAY__ENABLED: 'true',
      // A second session for the raw client's refusals, beside QuickFIX/J's.
      HFT__FIX_GATEWAY__SESSIONS: '[{ sender_comp_id = "CLIENT1", username = "fix-client1", strategy_id = "fix_client1" }, { sender_comp_id = "RAW1", username = "fix-client1", strategy_id = "fix_raw1" }]',
    },
    // The FIX counterparty's platform user, as an operator adds it (hft-security add-user).
    users: [{ name: 'fix-client1', roles: 'ops', password: PASSWORD }],
  });
  fixPort = Number(P.env['HFT__FIX_GATEWAY__FIX_PORT']);
  client = new FixClient(classpath, { dir: mkdtempSync(join(tmpdir(), 'qfj-')), port: fixPort, sender: 'CLIENT1', target: 'HFT', user: 'fix-client1', password: PASSWORD });
  await client.waitFor('logon', (e) => e.event === 'logon', 60_000);
}, 240_000);

afterAll(async () => {
  await client?.stop();
  await P?.stop();
});

describe('FIX 4.4 gateway with QuickFIX/J as the client', () => {
  it('orders rest and fill, status and mass status answer, cancels and cancel rejects, a sequence gap is filled', async () => {
    // A resting limit well below the market, and a marketable one.
    client.send({ cmd: 'order', clOrdId: 'A1', symbol: 'AAPL', side: '1', qty: 10, price: 180, tif: '1' });
    const newA1 = await client.waitFor('A1 New', (e) => e.event === 'app' && er(e.fields!, 'A1', '0'));
    expect(newA1.fields).toMatchObject({ '39': '0', '55': 'AAPL', '54': '1', '38': '10', '151': '10', '14': '0' });
    expect(client.app('8').some((f) => er(f, 'A1', 'A'))).toBe(true);
    client.send({ cmd: 'order', clOrdId: 'M1', symbol: 'AAPL', side: '1', qty: 5 });
    const filled = await client.waitFor('M1 filled', (e) => e.event === 'app' && er(e.fields!, 'M1', 'F') && e.fields!['39'] === '2');
    expect(Number(filled.fields!['14'])).toBe(5);
    expect(Number(filled.fields!['6'])).toBeGreaterThan(150);

    client.send({ cmd: 'status', clOrdId: 'A1', symbol: 'AAPL', side: '1' });
    const st = await client.waitFor('A1 status', (e) => e.event === 'app' && er(e.fields!, 'A1', 'I'));
    expect(st.fields!['39']).toBe('0');
    client.send({ cmd: 'status', clOrdId: 'NOPE', symbol: 'AAPL', side: '1' });
    expect((await client.waitFor('unknown status', (e) => e.event === 'app' && er(e.fields!, 'NOPE', 'I'))).fields).toMatchObject({ '39': '8', '103': '5' });

    client.send({ cmd: 'massStatus', id: 'MS1' });
    const mass = await client.waitFor('mass status', (e) => e.event === 'app' && e.fields!['584'] === 'MS1' && e.fields!['912'] === 'Y');
    expect(mass.fields!['11']).toBe('A1');

    // Cancel/replace: a new price and quantity under a new ClOrdID, through risk, the OMS and the venue.
    client.send({ cmd: 'replace', clOrdId: 'R1', orig: 'A1', symbol: 'AAPL', side: '1', qty: 5, price: 181 });
    await client.waitFor('R1 pending replace', (e) => e.event === 'app' && er(e.fields!, 'R1', 'E'));
    const replaced = await client.waitFor('R1 replaced', (e) => e.event === 'app' && er(e.fields!, 'R1', '5'));
    expect(replaced.fields).toMatchObject({ '41': 'A1', '39': '0', '44': '181', '38': '5', '151': '5', '37': newA1.fields!['37'] });
    // New terms outside risk's price band: refused by risk, the order works on as it was.
    client.send({ cmd: 'replace', clOrdId: 'R2', orig: 'R1', symbol: 'AAPL', side: '1', qty: 5, price: 150 });
    const denied = await client.waitFor('R2 refused', (e) => e.event === 'app' && e.fields!['35'] === '9' && e.fields!['11'] === 'R2');
    expect(denied.fields).toMatchObject({ '41': 'R1', '434': '2', '39': '0' });
    expect(denied.fields!['58']).toContain('price_band');
    client.send({ cmd: 'status', clOrdId: 'R1', symbol: 'AAPL', side: '1' });
    expect((await client.waitFor('R1 status', (e) => e.event === 'app' && er(e.fields!, 'R1', 'I'))).fields).toMatchObject({ '44': '181', '38': '5', '39': '0' });

    client.send({ cmd: 'cancel', clOrdId: 'C1', orig: 'R1', symbol: 'AAPL', side: '1' });
    const canceled = await client.waitFor('R1 canceled', (e) => e.event === 'app' && er(e.fields!, 'C1', '4'));
    expect(canceled.fields).toMatchObject({ '41': 'R1', '39': '4', '151': '0' });
    client.send({ cmd: 'cancel', clOrdId: 'C2', orig: 'A1', symbol: 'AAPL', side: '1' });
    expect((await client.waitFor('too late', (e) => e.event === 'app' && e.fields!['35'] === '9' && e.fields!['11'] === 'C2')).fields).toMatchObject({ '41': 'A1', '102': '0', '39': '4' });
    client.send({ cmd: 'cancel', clOrdId: 'C3', orig: 'NOPE', symbol: 'AAPL', side: '1' });
    expect((await client.waitFor('unknown cancel', (e) => e.event === 'app' && e.fields!['35'] === '9' && e.fields!['11'] === 'C3')).fields).toMatchObject({ '102': '1' });

    // A gap in the client's sequence: the gateway asks for a resend and the engine fills the gap.
    const from = client.events.length;
    client.send({ cmd: 'gap', skip: 3 });
    client.send({ cmd: 'order', clOrdId: 'G1', symbol: 'AAPL', side: '1', qty: 3, price: 180 });
    const rr = await client.waitFor('ResendRequest', (e) => e.event === 'adminIn' && e.fields!['35'] === '2', 20_000, from);
    const gapFill = await client.waitFor('gap fill', (e) => e.event === 'adminOut' && e.fields!['35'] === '4' && e.fields!['123'] === 'Y', 20_000, from);
    expect(Number(gapFill.fields!['34'])).toBe(Number(rr.fields!['7']));
    await client.waitFor('G1 New', (e) => e.event === 'app' && er(e.fields!, 'G1', '0'), 20_000, from);
    expect(client.app('8').filter((f) => er(f, 'G1', '0'))).toHaveLength(1);
    expect(await P.metric('fix-gateway', 'hft_fix_resend_requests_sent_total')).toBeGreaterThanOrEqual(1);
  }, 120_000);

  it('gateway killed with SIGKILL while the kill-switch cancels its orders: on reconnect every report arrives once and agrees with the ledger', async () => {
    for (const id of ['K1', 'K2', 'K3']) client.send({ cmd: 'order', clOrdId: id, symbol: 'AAPL', side: '1', qty: 2, price: 181 });
    for (const id of ['K1', 'K2', 'K3']) await client.waitFor(`${id} New`, (e) => e.event === 'app' && er(e.fields!, id, '0'));
    P.sup.get('fix-gateway')!.child.kill('SIGKILL');
    expect(await P.sup.get('fix-gateway')!.exited).toBe(128);
    await client.waitFor('logout on disconnect', (e) => e.event === 'logout');
    // While the gateway is down the risk officer stops everything: the orders are cancelled in the OMS.
    const rita = await P.login('rita');
    expect((await killSwitch(rita, true, 'e2e: FIX gateway down')).status).toBe(200);
    await until(async () => ((await P.db.query<{ n: number }>("SELECT count(*)::int AS n FROM orders WHERE strategy_id = 'fix_client1' AND client_order_id IN ('K1','K2','K3') AND status = 'Canceled'")).rows[0]!.n === 3) || undefined, 'K orders canceled in the ledger', 30_000);
    const before = client.events.length;
    await P.sup.restart('fix-gateway');
    await client.waitFor('logon again', (e) => e.event === 'logon', 30_000, before);
    for (const id of ['K1', 'K2', 'K3']) {
      const c = await client.waitFor(`${id} canceled after reconnect`, (e) => e.event === 'app' && er(e.fields!, id, '4'), 30_000, before);
      expect(c.fields!['58']).toContain('kill-switch');
      // Reported while no one was connected: stored under their sequence numbers, resent when the engine asked.
      expect(c.fields!['43']).toBe('Y');
    }
    expect(client.events.slice(before).some((e) => e.event === 'adminOut' && e.fields!['35'] === '2')).toBe(true);
    // New orders are refused while it is engaged, as an ExecutionReport Rejected with risk's reason.
    client.send({ cmd: 'order', clOrdId: 'KS1', symbol: 'AAPL', side: '1', qty: 1, price: 181 });
    expect((await client.waitFor('KS1 rejected', (e) => e.event === 'app' && er(e.fields!, 'KS1', '8'))).fields!['58']).toContain('kill_switch');
    expect((await killSwitch(rita, false, 'e2e: done')).status).toBe(200);

    // No report twice (ExecID), none lost: each order's last report is what the ledger has.
    const reports = client.app('8').filter((f) => f['150'] !== 'I');
    const ids = reports.map((f) => f['17']);
    expect(new Set(ids).size).toBe(ids.length);
    const ledger = (await P.db.query<{ order_id: string; client_order_id: string; status: string; cum_qty: string }>("SELECT order_id::text, client_order_id, status, cum_qty::text FROM orders WHERE strategy_id = 'fix_client1'")).rows;
    const STATUS: Record<string, string> = { '0': 'New', '1': 'PartiallyFilled', '2': 'Filled', '4': 'Canceled', '8': 'Rejected', A: 'PendingNew', '6': 'PendingCancel', C: 'Expired', E: 'PendingReplace' };
    for (const row of ledger) {
      // By OrderID: a replaced order goes by several ClOrdIDs.
      const last = reports.filter((f) => f['37'] === row.order_id || (f['37'] === 'NONE' && f['11'] === row.client_order_id)).at(-1);
      expect(last, row.client_order_id).toBeDefined();
      expect({ id: row.client_order_id, status: STATUS[last!['39']!], cum: Number(last!['14']) }).toEqual({ id: row.client_order_id, status: row.status === 'Denied' ? 'Rejected' : row.status, cum: Number(row.cum_qty) });
    }
  }, 150_000);

  it('a raw client gets a Reject naming the tag for each malformed message, and a Logout with the reason for what ends a session', async () => {
    const raw = await rawSession('RAW1');
    const logon = raw.send('A', [[98, 0], [108, 30], [553, 'fix-client1'], [554, PASSWORD]]);
    expect((await raw.next()).msg.type).toBe('A');
    expect(logon).toBe(1);
    // A NewOrderSingle with some fields replaced (or, with `undefined`, left out).
    const D = (changes: Record<number, string | undefined>): [number, string | number][] => {
      const base: Record<number, string> = { 11: `X${raw.seq}`, 55: 'AAPL', 54: '1', 38: '1', 40: '2', 44: '180', 60: fixTime(Date.now()) };
      return Object.entries({ ...base, ...changes }).filter((e): e is [string, string] => e[1] !== undefined).map(([t, v]) => [Number(t), v]);
    };
    const expectReject = async (tag: number, reason: number): Promise<void> => {
      const f = await raw.next();
      expect({ type: f.msg.type, tag: f.msg.get(371), reason: f.msg.get(373) }, f.msg.get(58)).toEqual({ type: '3', tag: String(tag), reason: String(reason) });
    };
    raw.send('D', D({ 55: undefined }));
    await expectReject(55, 1);
    raw.send('D', D({ 54: '7' }));
    await expectReject(54, 5);
    raw.send('D', D({ 38: 'ten' }));
    await expectReject(38, 6);
    raw.send('ZZ', []);
    await expectReject(35, 11);
    // Garbage between frames is ignored (and counted); a frame with a bad checksum too.
    raw.write(Buffer.from('hello\x01'));
    raw.write(Buffer.from(encodeFix('FIX.4.4', [[35, '0'], [49, 'RAW1'], [56, 'HFT'], [34, raw.seq], [52, fixTime(Date.now())]]).toString('latin1').replace(/10=\d{3}/, '10=000'), 'latin1'));
    raw.send('1', [[112, 'ping']]);
    const hb = await raw.next();
    expect({ type: hb.msg.type, id: hb.msg.get(112) }).toEqual({ type: '0', id: 'ping' });
    expect(await P.metric('fix-gateway', 'hft_fix_garbled_total')).toBeGreaterThanOrEqual(2);
    // A sequence number lower than expected without PossDupFlag ends the session, with the reason.
    raw.seq -= 3;
    raw.send('0', []);
    const out = await raw.next();
    expect({ type: out.msg.type, text: out.msg.get(58) }).toMatchObject({ type: '5', text: expect.stringMatching(/MsgSeqNum too low, expecting \d+ but received \d+/) });
    raw.close();
    // A wrong password: Logout with the security daemon's reason, no session.
    const bad = await rawSession('RAW1');
    bad.send('A', [[98, 0], [108, 30], [553, 'fix-client1'], [554, 'wrong']]);
    const refused = await bad.next();
    expect({ type: refused.msg.type, text: refused.msg.get(58) }).toEqual({ type: '5', text: 'logon refused: unknown user or wrong password' });
    bad.close();
    expect(await P.metric('fix-gateway', 'hft_fix_session_rejects_total')).toBeGreaterThanOrEqual(4);
  }, 60_000);
});

/** A bare TCP FIX session for the messages a real engine would not send. */
async function rawSession(sender: string): Promise<{ seq: number; send(type: string, body: [number, string | number][]): number; write(b: Buffer): void; next(): Promise<Frame>; close(): void }> {
  const sock = connect(fixPort, '127.0.0.1');
  await new Promise<void>((r, j) => sock.once('connect', r).once('error', j));
  const framer = new FixFramer();
  const frames: Frame[] = [];
  let wake: (() => void) | null = null;
  sock.on('data', (c: Buffer) => {
    framer.push(c);
    for (let f = framer.next(); f; f = framer.next()) if (!('garbled' in f)) frames.push(f);
    wake?.();
  });
  const s = {
    seq: 1,
    send(type: string, body: [number, string | number][]): number {
      const n = s.seq++;
      sock.write(encodeFix('FIX.4.4', [[35, type], [49, sender], [56, 'HFT'], [34, n], [52, fixTime(Date.now())], ...body]));
      return n;
    },
    write(b: Buffer): void {
      sock.write(b);
    },
    async next(): Promise<Frame> {
      const end = Date.now() + 10_000;
      while (frames.length === 0) {
        if (Date.now() > end) throw new Error('raw FIX client: nothing received within 10 s');
        await new Promise<void>((r) => {
          wake = r;
          setTimeout(r, 200);
        });
      }
      return frames.shift()!;
    },
    close(): void {
      sock.destroy();
    },
  };
  return s;
}
