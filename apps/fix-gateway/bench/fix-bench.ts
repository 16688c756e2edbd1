// FIX order round trip against the same path spoken natively, in one run on one platform:
//   FIX:  NewOrderSingle over TCP -> gateway -> risk -> OMS -> venue -> order-event stream -> gateway -> ExecutionReport New
//   ZMQ:  SubmitOrder (JSON) over DEALER -> risk -> OMS -> venue -> OrderAccepted on the order-event stream
// Orders alternate between the two so both see the same machine. Limit orders far from the market
// rest (no fills), and are cancelled in batches between rounds.
// Run: npx nx run fix-gateway:bench   (or node apps/fix-gateway/dist/bench/fix-bench.js [--orders N])
import { connect } from 'node:net';
import { encodeFix, FixFramer, fixTime } from '@hft/fix';
import { createLogger } from '@hft/logging';
import { envelope, topics } from '@hft/messages';
import { startTestPlatform } from '@hft/testing';
import { CommandClient, StreamLink } from '@hft/transport';

const arg = (name: string): string | undefined => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const ORDERS = Number(arg('--orders') ?? 400);
const PASSWORD = 'fix bench password';

function pct(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}

const P = await startTestPlatform({
  speed: '1',
  loop: true,
  files: ['data/market_data.csv'],
  env: { HFT__FIX_GATEWAY__ENABLED: 'true', HFT__EXECUTION__LATENCY_MODEL: 'fixed', HFT__EXECUTION__LATENCY_MIN_US: '0', HFT__EXECUTION__LATENCY_MAX_US: '0', LOG_LEVEL: 'warn', HFT__STRATEGY__ENABLED: '[]' },
  users: [{ name: 'fix-client1', roles: 'ops', password: PASSWORD }],
});
const log = createLogger({ daemon: 'fix-bench' });
try {
  // The native path: a DEALER to risk, the strategy's topic of the order-event stream.
  const acks = new Map<string, () => void>();
  const refused = { fix: 0, zmq: 0 };
  const risk = new CommandClient('orders', { endpoint: P.cfg.endpoints.orders.connect, log, identity: `fix-bench-${process.pid}` }).start((d) => {
    refused.zmq++;
    acks.get(d.clientOrderId)?.();
  });
  const events = new StreamLink('order_events', { endpoint: P.cfg.endpoints.order_events.connect, topics: [topics.orderEvents('bench_zmq')], log }).start((e) => {
    if (e.type === 'OrderAccepted') acks.get(e.clientOrderId)?.();
    else if (e.type === 'OrderDenied' || e.type === 'OrderRejected') {
      refused.zmq++;
      acks.get(e.clientOrderId)?.();
    }
  });
  await new Promise((r) => setTimeout(r, 1000));

  // The FIX path: a plain TCP session (our encoder; the e2e test covers QuickFIX/J).
  const sock = connect(Number(P.env['HFT__FIX_GATEWAY__FIX_PORT']), '127.0.0.1');
  sock.setNoDelay(true);
  await new Promise<void>((r) => sock.once('connect', () => r()));
  const framer = new FixFramer();
  const waiting = new Map<string, () => void>();
  let logged = (): void => {};
  sock.on('data', (c: Buffer) => {
    framer.push(c);
    for (let f = framer.next(); f; f = framer.next()) {
      if ('garbled' in f) continue;
      if (f.msg.type === 'A') logged();
      if (f.msg.type === '8' && (f.msg.get(150) === '0' || f.msg.get(150) === '8')) {
        if (f.msg.get(150) === '8') refused.fix++;
        waiting.get(f.msg.get(11)!)?.();
      }
    }
  });
  let seq = 1;
  const send = (type: string, body: [number, string | number][]): void => void sock.write(encodeFix('FIX.4.4', [[35, type], [49, 'CLIENT1'], [56, 'HFT'], [34, seq++], [52, fixTime(Date.now())], ...body]));
  await new Promise<void>((r) => {
    logged = r;
    send('A', [[98, 0], [108, 30], [141, 'Y'], [553, 'fix-client1'], [554, PASSWORD]]);
  });

  const fixRtt: number[] = [];
  const zmqRtt: number[] = [];
  const once = (m: Map<string, () => void>, id: string): Promise<void> =>
    new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no acknowledgement of ${id} within 10 s`)), 10_000);
      m.set(id, () => {
        clearTimeout(t);
        m.delete(id);
        resolve();
      });
    });
  for (let i = 0; i < ORDERS; i++) {
    // Inside risk's price band (5% of AAPL's ~187), below the market: every order rests.
    const price = 180 + (i % 20) * 0.01;
    const fixId = `F${i}`;
    const t0 = process.hrtime.bigint();
    const fixDone = once(waiting, fixId);
    send('D', [[11, fixId], [55, 'AAPL'], [54, '1'], [38, 1], [40, '2'], [44, price.toFixed(2)], [59, '1'], [60, fixTime(Date.now())]]);
    await fixDone;
    fixRtt.push(Number(process.hrtime.bigint() - t0) / 1e3);
    const zId = `Z${i}`;
    const t1 = process.hrtime.bigint();
    const zDone = once(acks, zId);
    risk.send({ type: 'SubmitOrder', ...envelope(), strategyId: 'bench_zmq', clientOrderId: zId, symbol: 'AAPL', side: 'buy', orderType: 'limit', timeInForce: 'gtc', postOnly: false, price: Number(price.toFixed(2)), quantity: 1, tsTick: null });
    await zDone;
    zmqRtt.push(Number(process.hrtime.bigint() - t1) / 1e3);
  }
  const row = (name: string, xs: number[]): string => `  ${name.padEnd(34)} p50 ${pct(xs, 0.5).toFixed(0).padStart(6)} µs   p99 ${pct(xs, 0.99).toFixed(0).padStart(6)} µs`;
  console.log(`FIX gateway order round trip vs the same path over ZeroMQ JSON (${ORDERS} orders each, alternating, one platform)`);
  console.log(row('FIX NewOrderSingle -> ER New', fixRtt));
  console.log(row('ZeroMQ SubmitOrder -> OrderAccepted', zmqRtt));
  if (refused.fix + refused.zmq > 0) console.log(`  (refused on the way: FIX ${refused.fix}, ZeroMQ ${refused.zmq}: those round trips are denials, not acks)`);
  console.log(`  ratio FIX / ZeroMQ                 p50 ${(pct(fixRtt, 0.5) / pct(zmqRtt, 0.5)).toFixed(2)}x   p99 ${(pct(fixRtt, 0.99) / pct(zmqRtt, 0.99)).toFixed(2)}x`);
  sock.destroy();
  await events.close();
  await risk.close();
} finally {
  await P.stop();
}
