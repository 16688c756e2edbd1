#!/usr/bin/env node
// fix-gateway daemon: a FIX 4.4 acceptor in front of risk. Each configured counterparty's orders trade
// under its strategy id; their order events come back from the OMS's stream as ExecutionReports.
import { loadInstruments } from '@hft/market-store';
import { allowed, ServiceToken, type Role } from '@hft/auth';
import { fromRoot } from '@hft/config';
import { daemonArgs, runDaemon } from '@hft/daemon';
import { FileSessionStore, FixSession, Tag } from '@hft/fix';
import { followOrderEvents } from '@hft/order-stream';
import { CommandClient } from '@hft/transport';
import { checkCredentials } from './credentials.js';
import { FixAcceptor } from './fix-acceptor.js';
import { gatewayMetrics } from './gateway-metrics.js';
import { OrderDesk } from './order-desk.js';

const BEGIN_STRING = 'FIX.4.4';
const args = daemonArgs('fix-gateway', 'FIX 4.4 order entry for outside clients: sessions of [fix_gateway] in config/platform.toml; orders go to\nrisk like a strategy\'s, their order events come back as ExecutionReports.', {});

await runDaemon({
  name: 'fix-gateway',
  args,
  start: async ({ cfg, log, health, http, onShutdown }) => {
    const g = cfg.fix_gateway;
    const m = gatewayMetrics();
    const instruments = await loadInstruments(cfg, log);
    const risk = new CommandClient('orders', { endpoint: cfg.endpoints.orders.connect, log, identity: `fix-gateway-${process.pid}` });
    const desks = new Map<string, OrderDesk>();
    const sessions = new Map<string, FixSession>();
    const deskOf = new Map<FixSession, OrderDesk>();
    for (const sc of g.sessions) {
      let roles: Role[] = [];
      const desk = new OrderDesk({ strategyId: sc.strategy_id, instruments, send: (cmd) => risk.send(cmd), mayTrade: () => allowed(roles, 'orders:write'), metrics: m });
      const store = FileSessionStore.open(fromRoot(g.store_dir), `${g.comp_id}-${sc.sender_comp_id}`, g.fsync);
      const session = new FixSession(
        { beginString: BEGIN_STRING, ourCompId: g.comp_id, theirCompId: sc.sender_comp_id, maxHeartBtInt: g.max_heartbeat_s, maxClockSkewMs: g.max_clock_skew_ms },
        store,
        {
          authenticate: async (logon) => {
            const user = logon.get(Tag.Username);
            const password = logon.get(Tag.Password);
            const refused = (text: string) => {
              m.logons.inc({ session: sc.sender_comp_id, outcome: 'refused' });
              return { ok: false as const, text };
            };
            if (user !== sc.username) return refused(`Username (553) must be the user configured for ${sc.sender_comp_id}`);
            if (!password) return refused('Password (554) missing');
            const r = await checkCredentials(g.security_url, user, password);
            if (!r.ok) return refused(r.text);
            roles = r.roles;
            m.logons.inc({ session: sc.sender_comp_id, outcome: 'accepted' });
            return { ok: true };
          },
          onMessage: (msg) => desk.onMessage(msg),
          onLogon: () => m.sessions.set({ session: sc.sender_comp_id }, 1),
          onLogout: () => m.sessions.set({ session: sc.sender_comp_id }, 0),
        },
        {
          onReject: (reason) => m.rejects.inc({ reason: String(reason) }),
          onLogoutSent: (text) => m.logouts.inc({ reason: text.split(/[:,(]/)[0]!.trim().slice(0, 40) || 'logout' }),
          onResendRequested: () => m.resendRequests.inc(),
          onResent: (messages, fills) => {
            m.resent.inc({ kind: 'message' }, messages);
            m.resent.inc({ kind: 'gap_fill' }, fills);
          },
          log: (level, msg, fields) => log[level](fields ?? {}, msg),
        },
      );
      desk.bind(session);
      m.sessions.set({ session: sc.sender_comp_id }, 0);
      desks.set(sc.strategy_id, desk);
      sessions.set(sc.sender_comp_id, session);
      deskOf.set(session, desk);
    }
    // Risk's refusals come straight back: a denied order, or a replace refused on its new terms.
    risk.start((msg) => (msg.type === 'OrderDenied' ? desks.get(msg.strategyId)?.onDenied(msg) : desks.get(msg.strategyId)?.onReplaceRejected(msg)));

    // Every event of the sessions' strategies from the start of the stream: the orders are rebuilt, and
    // what the store says was reported already is not reported again.
    const token = ServiceToken.of(g, fromRoot, log);
    const { feed } = followOrderEvents({
      endpoint: cfg.endpoints.order_events.connect,
      omsUrl: g.oms_url,
      token: async () => (await token?.bearer()) ?? null,
      strategies: [...desks.keys()],
      log,
      onEvent: (e) => desks.get(e.strategyId)?.onEvent(e),
    });
    if (!token) log.warn('no fix_gateway.service_user: order events missed while the gateway was down are not read back');
    health.register('order_stream', () => {
      const behind = feed.behind();
      return behind.length ? { status: 'degraded', detail: behind.map((b) => `${b.strategy}: ${b.detail}`).join('; ') } : { status: 'ok' };
    });
    // Sessions are taken only once the orders are rebuilt from the stream: a report sent before that
    // could repeat one the store already has. Until then /health says why (degraded, not down).
    const acceptor = new FixAcceptor({ beginString: BEGIN_STRING, compId: g.comp_id, sessions, log, metrics: m });
    let listening: string | null = null;
    let closing = false;
    health.register('fix_acceptor', () => (listening ? { status: 'ok', detail: listening } : { status: 'degraded', detail: 'catching up on the order-event stream before taking FIX sessions' }));
    void (async () => {
      await feed.start(new Map([...desks.keys()].map((s) => [s, 0] as const)));
      if (closing) return;
      for (const [strategy, desk] of desks) {
        const voided = desk.voidUnanswered();
        if (voided) log.warn({ strategy, voided }, 'orders and cancels the stream never answered, voided or sent again after the restart');
      }
      const port = await acceptor.listen(g.fix_host, g.fix_port);
      listening = `${g.fix_host}:${port}`;
      log.info({ host: g.fix_host, port, sessions: [...sessions.keys()] }, 'FIX acceptor listening');
    })().catch((e: Error) => log.error({ err: e.message, host: g.fix_host, port: g.fix_port }, 'FIX acceptor could not start'));
    http.get('/api/fix/sessions', async () =>
      [...sessions.entries()].map(([sender, s]) => ({
        senderCompId: sender,
        targetCompId: g.comp_id,
        loggedOn: s.loggedOn,
        nextSenderSeqNum: s.store.nextSender,
        nextTargetSeqNum: s.store.nextTarget,
        openOrders: deskOf.get(s)!.openOrders,
      })),
    );
    onShutdown(async () => {
      closing = true;
      await feed.close();
      await acceptor.close();
      for (const s of sessions.values()) s.store.close();
      token?.stop();
      await risk.close();
    });
  },
});
