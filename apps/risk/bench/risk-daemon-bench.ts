// Orders/s through the risk daemon (strategy DEALER -> risk -> OMS -> order-event stream, real
// processes) and the time from the kill-switch HTTP call returning to the first denial.
import { until } from '@hft/testing';
import { riskRig } from '../test/risk-rig.js';

export async function daemonThroughput(): Promise<{ orders: number; ordersPerSecThroughDaemon: number; killSwitchToFirstDenialMs: number }> {
  const r = await riskRig({ LOG_LEVEL: 'error', HFT__RISK__DEFAULT_LIMITS__MAX_ORDERS_PER_SEC: '1000000000', HFT__RISK__DEFAULT_LIMITS__MAX_POSITION: '1000000000000', HFT__RISK__DEFAULT_LIMITS__MAX_NOTIONAL: '1000000000000', HFT__OMS__BUFFER_MAX: '10000000' });
  try {
    r.book(99.95, 100.05);
    await until(async () => ((await (await r.api('GET', '/health')).json()) as { status: string }).status === 'ok' || undefined, 'risk ready', 30_000);
    await new Promise((res) => setTimeout(res, 300));
    const M = 20_000;
    const s0 = performance.now();
    for (let i = 0; i < M; i++) r.submit({ side: i % 2 ? 'buy' : 'sell', price: i % 2 ? 99 : 101, quantity: 1 });
    await until(() => r.events.filter((e) => e.type === 'OrderSubmitted').length + r.denials.length >= M || undefined, 'every order decided', 120_000);
    const throughput = M / ((performance.now() - s0) / 1000);
    // Kill-switch: orders every ~1 ms; engage; first denial after the call returned.
    r.denials.length = 0;
    r.deniedAt.length = 0;
    const pump = setInterval(() => r.submit({ quantity: 1 }), 1);
    await new Promise((res) => setTimeout(res, 200));
    const token = await r.P.login('rita');
    const res = await r.api('PUT', '/api/risk/kill-switch', token, { engaged: true, scope: 'global', reason: 'benchmark' });
    const returned = performance.now();
    if (res.status !== 200) throw new Error(`kill-switch call failed: ${res.status} ${await res.text()}`);
    const first = await until(() => { const i = r.denials.findIndex((d) => d.type === 'OrderDenied' && d.code === 'kill_switch'); return i >= 0 ? i : undefined; }, 'a kill-switch denial', 10_000);
    const firstDenied = r.deniedAt[first]!;
    clearInterval(pump);
    return { orders: M, ordersPerSecThroughDaemon: Math.round(throughput), killSwitchToFirstDenialMs: +(firstDenied - returned).toFixed(3) };
  } finally {
    await r.stop();
  }
}
