// hft-platform dashboard: plain browser JavaScript, no build step. Live data over SSE.
'use strict';

const $ = (id) => document.getElementById(id);
const fmt = (n, d = 2) => (n === null || n === undefined || Number.isNaN(n) ? '–' : Number(n).toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d }));
const us = (s) => (s === null || s === undefined ? '–' : s < 1e-3 ? `${(s * 1e6).toFixed(0)} µs` : `${(s * 1e3).toFixed(2)} ms`);
const state = { token: sessionStorage.getItem('hftToken') || '', symbol: null, summary: null, killEngaged: null, chains: {}, underlying: null, expiry: null };

function authHeaders() {
  return state.token ? { authorization: `Bearer ${state.token}` } : {};
}

function streamUrl(path) {
  return state.token ? `${path}?access_token=${encodeURIComponent(state.token)}` : path;
}

function askToken() {
  return new Promise((resolve) => {
    const dlg = $('token-dialog');
    $('token-input').value = state.token;
    dlg.onclose = () => {
      if (dlg.returnValue === 'save') {
        state.token = $('token-input').value.trim();
        sessionStorage.setItem('hftToken', state.token);
      }
      resolve(state.token);
    };
    dlg.showModal();
  });
}

function row(cells, cls = []) {
  const tr = document.createElement('tr');
  cells.forEach((c, i) => {
    const td = document.createElement('td');
    td.textContent = c;
    if (cls[i]) td.className = cls[i];
    tr.appendChild(td);
  });
  return tr;
}

function renderSummary(s) {
  state.summary = s;
  $('ticks-per-sec').textContent = fmt(s.ticksPerSec, 0);
  $('orders-per-sec').textContent = fmt(s.ordersPerSec, 1);
  $('fills-per-sec').textContent = fmt(s.fillsPerSec, 1);
  $('ticks-count').textContent = s.ticks.toLocaleString('en-US');
  $('fills-count').textContent = s.counts.fills.toLocaleString('en-US');
  $('rejects-count').textContent = s.counts.rejected.toLocaleString('en-US');
  $('t2t-p50').textContent = us(s.tickToTrade.p50);
  $('t2t-p99').textContent = us(s.tickToTrade.p99);
  $('t2t-p999').textContent = us(s.tickToTrade.p999);
  $('t2t-count').textContent = s.tickToTrade.count.toLocaleString('en-US');
  renderWaterfall(s.waterfall || []);
  const sel = $('symbol');
  const symbols = s.market.map((m) => m.symbol);
  if (sel.options.length !== symbols.length) {
    sel.innerHTML = '';
    for (const sym of symbols) sel.add(new Option(sym, sym));
    if (state.symbol && symbols.includes(state.symbol)) sel.value = state.symbol;
  }
  state.symbol = sel.value || symbols[0] || null;
  renderMarket(s.market.find((m) => m.symbol === state.symbol));
  const pos = $('positions');
  pos.replaceChildren(
    ...s.positions.map((p) =>
      row(
        [p.strategy, p.symbol, fmt(p.qty, 5).replace(/\.?0+$/, ''), fmt(p.avgPx), fmt(p.mark), fmt(p.realized), fmt(p.unrealized), fmt(p.fees), fmt(p.pnl)],
        ['', '', '', '', '', '', '', '', p.pnl >= 0 ? 'buy' : 'sell'],
      ),
    ),
  );
}

function renderWaterfall(stages) {
  const total = stages.reduce((a, st) => a + (st.p50 || 0), 0);
  let at = 0;
  $('waterfall').replaceChildren(
    ...stages.map((st) => {
      const p50 = st.p50 || 0;
      const line = document.createElement('div');
      line.className = 'stage';
      line.dataset.stage = st.stage;
      line.title = `${st.label}: p50 ${us(st.p50)}, p99 ${us(st.p99)}, p99.9 ${us(st.p999)} (${st.count} orders)`;
      const name = document.createElement('span');
      name.textContent = st.label;
      const track = document.createElement('div');
      track.className = 'track';
      const bar = document.createElement('div');
      bar.className = `bar ${st.hop ? 'hop' : 'work'}`;
      bar.style.left = `${total ? (100 * at) / total : 0}%`;
      bar.style.width = `${total ? (100 * p50) / total : 0}%`;
      track.append(bar);
      const value = document.createElement('span');
      value.className = 'value';
      value.textContent = us(st.p50);
      at += p50;
      line.append(name, track, value);
      return line;
    }),
  );
}

function renderMarket(m) {
  if (!m) return;
  const book = $('book');
  const rows = [];
  const bids = m.book ? m.book.bids : [];
  const asks = m.book ? m.book.asks : [];
  for (let i = 0; i < Math.max(Math.min(bids.length, 5), Math.min(asks.length, 5)); i++) {
    rows.push(row([bids[i] ? fmt(bids[i][1], 0) : '', bids[i] ? fmt(bids[i][0]) : '', asks[i] ? fmt(asks[i][0]) : '', asks[i] ? fmt(asks[i][1], 0) : '']));
  }
  book.replaceChildren(...rows);
  $('trades').replaceChildren(
    ...m.trades
      .slice(-15)
      .reverse()
      .map((t) => row([new Date(Number(BigInt(t.ts) / 1000000n)).toISOString().slice(11, 23), t.side || '', fmt(t.price), fmt(t.qty, 0)], ['', t.side || '', t.side || '', ''])),
  );
  drawCandles(m.candles);
}

/** Candlesticks on a canvas, scaled to the candles' range; a candle still building (closed: false) is drawn faded. */
function drawCandlesOn(c, candles, labels = false) {
  const g = c.getContext('2d');
  g.clearRect(0, 0, c.width, c.height);
  c.dataset.candles = String(candles.length);
  if (!candles.length) return;
  const hi = Math.max(...candles.map((k) => k.high));
  const lo = Math.min(...candles.map((k) => k.low));
  const y = (p) => (hi === lo ? c.height / 2 : 10 + ((hi - p) / (hi - lo)) * (c.height - 20));
  const w = Math.max(2, Math.floor(c.width / Math.max(candles.length, 20)) - 2);
  candles.forEach((k, i) => {
    const x = 4 + i * (w + 2);
    g.strokeStyle = g.fillStyle = k.close >= k.open ? '#3fb97c' : '#e05d5d';
    g.globalAlpha = k.closed === false ? 0.6 : 1;
    g.beginPath();
    g.moveTo(x + w / 2, y(k.high));
    g.lineTo(x + w / 2, y(k.low));
    g.stroke();
    g.fillRect(x, Math.min(y(k.open), y(k.close)), w, Math.max(1, Math.abs(y(k.open) - y(k.close))));
  });
  g.globalAlpha = 1;
  if (!labels) return;
  g.fillStyle = '#7d8b99';
  g.font = '11px system-ui';
  g.fillText(fmt(hi), c.width - 60, 12);
  g.fillText(fmt(lo), c.width - 60, c.height - 4);
}

function drawCandles(candles) {
  drawCandlesOn($('candles'), candles);
}

const SVG = 'http://www.w3.org/2000/svg';
function svgEl(name, attrs, text) {
  const el = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

/** One underlying's chain: the selectors, the figures, the GEX bars and the table of the chosen expiry. */
function renderChain() {
  const names = Object.keys(state.chains).sort();
  if (!names.length) return;
  if (!state.underlying || !state.chains[state.underlying]) state.underlying = names[0];
  const snap = state.chains[state.underlying];
  const fill = (sel, values, current) => {
    if (sel.options.length !== values.length || [...sel.options].some((o, i) => o.value !== values[i])) sel.replaceChildren(...values.map((v) => new Option(v, v)));
    sel.value = current;
  };
  fill($('underlying'), names, state.underlying);
  const expiries = snap.expiries.map((e) => e.expiry);
  if (!state.expiry || !expiries.includes(state.expiry)) state.expiry = expiries[0];
  fill($('expiry'), expiries, state.expiry);
  const e = snap.expiries.find((x) => x.expiry === state.expiry);
  if (!e) return;
  const pct = (x) => (x === null ? '–' : `${(x * 100).toFixed(1)}%`);
  const v = snap.volIndex;
  // The VIX-divergence signal: the IV-index spread against its window mean, and its state.
  const vix = v ? ` · vs ${v.index} ${v.divergence === null ? '' : `${v.divergence >= 0 ? '+' : ''}${fmt(v.divergence)} pts `}${v.signal.replace('_', ' ')}` : '';
  $('chain-figures').textContent = `spot ${fmt(snap.spot)} · ATM IV ${pct(e.atmIv)} · max pain ${fmt(e.maxPain)} · call wall ${fmt(e.callWall)} · put wall ${fmt(e.putWall)} · PCR OI ${fmt(e.pcrOi)} · GEX ${fmt(e.gex / 1e6, 1)}M${vix}`;
  drawGex(e, snap.spot);
  const near = e.strikes.reduce((a, k) => (Math.abs(k.strike - snap.spot) < Math.abs(a.strike - snap.spot) ? k : a), e.strikes[0]);
  $('chain').replaceChildren(
    ...e.strikes.map((k) => {
      const c = k.call || {};
      const p = k.put || {};
      const g = (q, f, d) => (q.greeks ? fmt(q.greeks[f], d) : '–');
      const tr = row([fmt(c.openInterest, 0), fmt(c.bid), fmt(c.ask), pct(c.iv ?? null), g(c, 'delta', 3), g(c, 'gamma', 4), fmt(k.strike), g(p, 'gamma', 4), g(p, 'delta', 3), pct(p.iv ?? null), fmt(p.bid), fmt(p.ask), fmt(p.openInterest, 0)], ['', '', '', '', '', '', 'strike']);
      if (k === near) tr.className = 'atm';
      return tr;
    }),
  );
}

/** Bars of each strike's call and put gamma exposure around a zero line, the spot as a vertical line. */
function drawGex(e, spot) {
  const svg = $('gex');
  const W = 1000;
  const H = 220;
  const mid = H / 2;
  const strikes = e.strikes;
  const call = (k) => (k.call && k.call.greeks ? k.call.greeks.gamma * (k.call.openInterest || 0) : 0);
  const put = (k) => (k.put && k.put.greeks ? k.put.greeks.gamma * (k.put.openInterest || 0) : 0);
  const max = Math.max(1e-12, ...strikes.map((k) => Math.max(call(k), put(k))));
  const lo = strikes[0].strike;
  const hi = strikes[strikes.length - 1].strike;
  const x = (s) => 20 + ((s - lo) / Math.max(1e-9, hi - lo)) * (W - 40);
  const bw = Math.max(2, (W - 40) / strikes.length - 3);
  const kids = [svgEl('line', { class: 'axis', x1: 0, x2: W, y1: mid, y2: mid })];
  for (const k of strikes) {
    const hc = ((call(k) / max) * (mid - 16));
    const hp = ((put(k) / max) * (mid - 16));
    const r1 = svgEl('rect', { class: 'call', x: x(k.strike) - bw / 2, y: mid - hc, width: bw, height: Math.max(0, hc), 'data-strike': k.strike });
    r1.append(svgEl('title', {}, `${k.strike} calls: GEX ${fmt(k.gex / 1e6, 2)}M (strike net)`));
    const r2 = svgEl('rect', { class: 'put', x: x(k.strike) - bw / 2, y: mid, width: bw, height: Math.max(0, hp), 'data-strike': k.strike });
    r2.append(svgEl('title', {}, `${k.strike} puts`));
    kids.push(r1, r2);
  }
  for (let i = 0; i < strikes.length; i += Math.ceil(strikes.length / 10)) kids.push(svgEl('text', { x: x(strikes[i].strike), y: H - 3, 'text-anchor': 'middle' }, String(strikes[i].strike)));
  if (spot !== null && spot >= lo && spot <= hi) kids.push(svgEl('line', { class: 'spot', x1: x(spot), x2: x(spot), y1: 0, y2: H - 14 }));
  svg.replaceChildren(...kids);
}

function addOrderEvent(e) {
  const li = document.createElement('li');
  li.textContent = `${e.type.replace('Order', '')} ${e.strategyId} ${e.symbol} ${e.detail}`;
  const ul = $('orders');
  ul.prepend(li);
  while (ul.children.length > 100) ul.lastChild.remove();
}

// The latest view of each conditional order (every event carries it), newest first.
const gtts = new Map();
function renderGtts() {
  const box = $('gtts');
  const list = [...gtts.values()].reverse().slice(0, 50);
  if (!list.length) return;
  const t = document.createElement('table');
  t.appendChild(row(['id', 'strategy', 'symbol', 'side', 'qty', 'status', 'parts (level / mark)', 'filled', 'reason']));
  for (const g of list) {
    const parts = g.parts.map((p) => `${p.part} ${p.kind.replace(/_/g, ' ')} ${p.status}${p.level !== null ? ` @${fmt(p.level, 2)}` : ''}${p.extreme !== null ? ` (mark ${fmt(p.extreme, 2)})` : ''}`).join('; ');
    const tr = row([g.conditionalId, g.strategyId, g.symbol, g.side, fmt(g.quantity, 0), g.status, parts, fmt(g.filledQty, 0), g.reason || '']);
    tr.dataset.status = g.status;
    t.appendChild(tr);
  }
  box.replaceChildren(t);
}

async function loadGtts() {
  try {
    const res = await fetch('/api/v1/gtt/?limit=50', { headers: authHeaders() });
    if (!res.ok) return;
    const body = await res.json();
    for (const g of body.gtts.reverse()) gtts.set(g.conditionalId, g);
    renderGtts();
  } catch {
    // The table fills from the stream anyway.
  }
}

async function refreshRisk() {
  try {
    const res = await fetch('/api/risk/status', { headers: authHeaders() });
    const box = $('risk');
    if (!res.ok) {
      box.textContent = res.status === 401 || res.status === 403 ? 'risk status needs a token with a reading role' : `risk status unavailable (${res.status})`;
      return;
    }
    const r = await res.json();
    const engaged = r.killSwitches.filter((k) => k.engaged);
    state.killEngaged = engaged.some((k) => k.scope === 'global');
    const ks = $('kill-switch-state');
    ks.textContent = engaged.length ? engaged.map((k) => (k.scope === 'global' ? 'ENGAGED' : `${k.scope} ${k.target}`)).join(', ') : 'released';
    ks.className = `pill ${engaged.length ? 'engaged' : 'on'}`;
    $('kill-switch-button').textContent = state.killEngaged ? 'Release kill-switch' : 'Engage kill-switch';
    box.innerHTML = '';
    const t = document.createElement('table');
    t.appendChild(row(['strategy', 'symbol', 'position', 'working buy', 'working sell', 'realized']));
    for (const p of r.positions) t.appendChild(row([p.strategy, p.symbol, fmt(p.qty, 2), fmt(p.workingBuy, 0), fmt(p.workingSell, 0), fmt(p.realized)]));
    box.appendChild(document.createTextNode(`Redis ${r.redis.up ? 'up' : 'DOWN'}; PnL today: ${Object.entries(r.pnlToday).map(([k, v]) => `${k} ${fmt(v)}`).join(', ') || '–'}`));
    box.appendChild(t);
  } catch (e) {
    $('risk').textContent = `risk status unavailable: ${e.message}`;
  }
}

async function toggleKillSwitch() {
  if (!state.token) await askToken();
  if (!state.token) return;
  const engage = !state.killEngaged;
  const reason = engage ? window.prompt('Reason for engaging the kill-switch', 'manual stop from the dashboard') : window.prompt('Reason for releasing', 'resume trading');
  if (!reason) return;
  const res = await fetch('/api/risk/kill-switch', {
    method: 'PUT',
    headers: { 'content-type': 'application/json', ...authHeaders() },
    body: JSON.stringify({ engaged: engage, scope: 'global', reason }),
  });
  if (!res.ok) {
    const body = await res.json().catch(() => ({}));
    window.alert(`kill-switch not changed (${res.status}): ${body.message || ''}`);
    if (res.status === 401) await askToken();
    return;
  }
  await refreshRisk();
}

function connect() {
  const dash = new EventSource(streamUrl('/api/stream/dashboard'));
  dash.addEventListener('summary', (ev) => renderSummary(JSON.parse(ev.data)));
  dash.addEventListener('control', () => refreshRisk());
  dash.addEventListener('sweep', (ev) => showSweep(JSON.parse(ev.data)));
  dash.addEventListener('chain', (ev) => {
    const s = JSON.parse(ev.data);
    state.chains[s.underlying] = s;
    renderChain();
  });
  dash.onopen = () => {
    $('conn').textContent = 'live';
    $('conn').className = 'pill on';
  };
  dash.onerror = () => {
    $('conn').textContent = 'reconnecting';
    $('conn').className = 'pill off';
  };
  const orders = new EventSource(streamUrl('/api/stream/orders'));
  orders.addEventListener('order', (ev) => addOrderEvent(JSON.parse(ev.data)));
  orders.addEventListener('conditional', (ev) => {
    const e = JSON.parse(ev.data);
    gtts.delete(e.conditionalId);
    gtts.set(e.conditionalId, e.conditional);
    renderGtts();
  });
  void loadGtts();
}

$('kill-switch-button').addEventListener('click', () => void toggleKillSwitch());
$('token-button').addEventListener('click', () => void askToken().then(() => refreshRisk()));
$('symbol').addEventListener('change', (e) => {
  state.symbol = e.target.value;
  if (state.summary) renderSummary(state.summary);
});
$('underlying').addEventListener('change', (e) => {
  state.underlying = e.target.value;
  state.expiry = null;
  renderChain();
});
$('expiry').addEventListener('change', (e) => {
  state.expiry = e.target.value;
  renderChain();
});
// Instruments & history: search the master, a quote card, stored candles with live ones over SSE, the scanner.
const history = { symbol: null, interval: '1m', candles: [], stream: null, searchSeq: 0 };

async function getJson(path) {
  const res = await fetch(path, { headers: authHeaders() });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(body.message || `${res.status}`);
  return body;
}

async function searchInstruments(q) {
  const seq = ++history.searchSeq;
  const list = $('search-results');
  if (!q.trim()) {
    list.replaceChildren();
    return;
  }
  try {
    const r = await getJson(`/api/v1/instruments/search?query=${encodeURIComponent(q)}&limit=12`);
    if (seq !== history.searchSeq) return;
    list.replaceChildren(...r.results.map((h) => {
      const li = document.createElement('li');
      li.dataset.symbol = h.symbol;
      li.textContent = h.symbol;
      const small = document.createElement('small');
      small.textContent = `${h.name || h.kind} · ${h.kind}${h.venue ? ` · ${h.venue}` : ''}`;
      li.appendChild(small);
      li.addEventListener('click', () => void selectInstrument(h.symbol));
      return li;
    }));
  } catch (e) {
    list.replaceChildren(Object.assign(document.createElement('li'), { textContent: `search unavailable: ${e.message}` }));
  }
}

function renderQuote(q) {
  const body = $('quote').tBodies[0];
  const cls = q.change === null ? '' : q.change >= 0 ? 'up' : 'down';
  const rows = [
    ['last', fmt(q.last), cls],
    ['change', q.change === null ? '–' : `${q.change >= 0 ? '+' : ''}${fmt(q.change)} (${fmt(q.changePercent)}%)`, cls],
    ['bid / ask', `${fmt(q.bid)} / ${fmt(q.ask)}`],
    ['sizes', `${fmt(q.bidSize, 0)} / ${fmt(q.askSize, 0)}`],
    ['open / high / low', `${fmt(q.open)} / ${fmt(q.high)} / ${fmt(q.low)}`],
    ['previous close', fmt(q.previousClose)],
    ['volume', fmt(q.volume, 0)],
    ['open interest', fmt(q.openInterest, 0)],
    ['trading day', q.tradingDay || '–'],
  ];
  body.replaceChildren(...rows.map(([k, v, c]) => row([k, v], ['', c || ''])));
  body.dataset.symbol = q.symbol;
}

function drawHistory() {
  drawCandlesOn($('history-chart'), history.candles.slice(-160), true);
}

async function loadHistory() {
  if (!history.symbol) return;
  try {
    const r = await getJson(`/api/v1/market/candles/${encodeURIComponent(history.symbol)}?interval=${history.interval}`);
    history.candles = r.candles;
    $('history-note').textContent = `${r.candles.length} candles · ${r.timezone} · ${r.from.slice(0, 16)} .. ${r.to.slice(0, 16)}`;
    drawHistory();
  } catch (e) {
    $('history-note').textContent = `history unavailable: ${e.message}`;
  }
}

async function refreshQuote() {
  if (!history.symbol) return;
  try {
    renderQuote(await getJson(`/api/v1/market/quote/${encodeURIComponent(history.symbol)}`));
  } catch {
    // the next refresh tries again
  }
}

async function selectInstrument(symbol) {
  history.symbol = symbol;
  $('history-symbol').textContent = symbol;
  $('search-results').replaceChildren();
  $('instrument-search').value = symbol;
  history.stream?.close();
  // Live 1-minute candles of this symbol only (the instruments= filter): 1m charts take them as they close.
  history.stream = new EventSource(`${streamUrl('/api/stream/candles')}${state.token ? '&' : '?'}instruments=${encodeURIComponent(symbol)}`);
  history.stream.addEventListener('candle', (ev) => {
    if (history.interval !== '1m') return;
    const k = JSON.parse(ev.data);
    const start = new Date(Number(BigInt(k.start) / 1000000n)).toISOString();
    const last = history.candles.at(-1);
    const candle = { start, open: k.open, high: k.high, low: k.low, close: k.close, volume: k.volume, closed: true };
    if (last && last.start === start) history.candles[history.candles.length - 1] = candle;
    else if (!last || last.start < start) history.candles.push(candle);
    drawHistory();
  });
  await Promise.all([refreshQuote(), loadHistory()]);
}

function renderScanner(r) {
  $('scanner-as-of').textContent = r.asOf ? `as of ${r.asOf.slice(0, 19).replace('T', ' ')} UTC, every ${r.everyMinutes} min · ${r.ranked} ranked` : 'no scan yet';
  const s = (v, d = 0) => fmt(v, d);
  $('scanner').replaceChildren(...r.suggestions.map((x) => {
    const tr = row([String(x.rank), x.symbol, s(x.score, 2), s(x.last, 2), s(x.signals.breakout), s(x.signals.volumeSurge, 2), s(x.signals.vwapDistance), s(x.signals.rangeExpansion, 2), s(x.signals.momentum)]);
    tr.addEventListener('click', () => void selectInstrument(x.symbol));
    return tr;
  }));
}

async function refreshScanner() {
  try {
    renderScanner(await getJson('/api/v1/scanner/suggestions'));
  } catch {
    $('scanner-as-of').textContent = 'scanner unavailable (market-services)';
  }
}

let searchTimer = null;
$('instrument-search').addEventListener('input', (e) => {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(() => void searchInstruments(e.target.value), 120);
});
$('interval').addEventListener('change', (e) => {
  history.interval = e.target.value;
  void loadHistory();
});
void refreshScanner();
setInterval(() => void refreshScanner(), 5000);
setInterval(() => void refreshQuote(), 2000);
// Backtest sweeps: progress of the recent ones and a link to each one's report. Progress is pushed
// (a `sweep` event per recorded run); the list is reloaded now and then for what a reconnect missed.
function sweepRow(w) {
  const tr = row([w.name, w.createdAt.slice(0, 19), '', '']);
  tr.dataset.sweep = w.sweepId;
  const bar = document.createElement('progress');
  bar.max = w.jobs;
  bar.value = w.done;
  tr.children[2].replaceChildren(bar, document.createTextNode(` ${w.done}/${w.jobs}`));
  const a = document.createElement('a');
  a.href = `/api/v1/sweeps/${encodeURIComponent(w.sweepId)}/report`;
  a.target = '_blank';
  a.textContent = 'report';
  tr.children[3].replaceChildren(a);
  return tr;
}
function showSweep(w) {
  const old = [...$('sweeps').children].find((tr) => tr.dataset.sweep === w.sweepId);
  if (old) old.replaceWith(sweepRow(w));
  else $('sweeps').prepend(sweepRow(w));
}
async function refreshSweeps() {
  let list = [];
  try {
    list = await getJson('/api/v1/sweeps');
  } catch {
    return;
  }
  $('sweeps').replaceChildren(...list.map(sweepRow));
}
void refreshSweeps();
setInterval(() => void refreshSweeps(), 30_000);
connect();
void refreshRisk();
setInterval(() => void refreshRisk(), 2000);
