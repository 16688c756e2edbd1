// A synthetic TotalView-ITCH 5.0 day for the benchmark: order flow over several stocks with the mix
// NASDAQ files show (adds and deletes dominate; executions, partial cancels and replaces between),
// about 2,000 open orders per stock, and most cancels hitting recent orders (quotes that live
// milliseconds) while the rest reach anywhere in the book.

const STOCKS = ['AAPL', 'MSFT', 'NVDA', 'AMZN', 'META', 'GOOGL', 'TSLA', 'AMD'];

export interface ItchStream {
  bytes: Buffer;
  messages: number;
  stocks: string[];
}

export function itchStream(messages: number, seed = 7): ItchStream {
  let s = seed >>> 0;
  const rand = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const buf = Buffer.alloc(messages * 42 + STOCKS.length * 41);
  let at = 0;
  let ts = 34_200_000_000_000;
  const head = (type: string, locate: number, len: number): number => {
    buf.writeUInt16BE(len, at);
    buf.write(type, at + 2, 'latin1');
    buf.writeUInt16BE(locate, at + 3);
    buf.writeUInt16BE(0, at + 5);
    ts += 1 + Math.floor(rand() * 2000);
    buf.writeUIntBE(Math.floor(ts / 65536), at + 7, 4);
    buf.writeUInt16BE(ts % 65536, at + 11);
    const body = at + 13;
    at += 2 + len;
    return body;
  };
  STOCKS.forEach((name, i) => {
    const b = head('R', i + 1, 39);
    buf.write(name.padEnd(8, ' '), b, 'latin1');
    buf.fill(0x20, b + 8, b + 28);
  });
  const live: number[][] = STOCKS.map(() => []);
  const info = new Map<number, { buy: boolean; price: number; shares: number }>();
  let ref = 1;
  let matchNo = 1;
  let n = STOCKS.length;
  const add = (k: number, b0?: number): void => {
    const buy = rand() < 0.5;
    const mid = 1_000_000 + k * 250_000;
    const price = buy ? mid - 100 * Math.floor(rand() * 20) : mid + 100 * (1 + Math.floor(rand() * 20));
    const shares = 100 * (1 + Math.floor(rand() * 5));
    const r = b0 ?? ref++;
    const b = head('A', k + 1, 36);
    buf.writeBigUInt64BE(BigInt(r), b);
    buf.write(buy ? 'B' : 'S', b + 8, 'latin1');
    buf.writeUInt32BE(shares, b + 9);
    buf.write(STOCKS[k]!.padEnd(8, ' '), b + 13, 'latin1');
    buf.writeUInt32BE(price, b + 21);
    live[k]!.push(r);
    info.set(r, { buy, price, shares });
  };
  const pickIndex = (l: number[]): number => (rand() < 0.7 ? Math.max(0, l.length - 1 - Math.floor(rand() * 64)) : Math.floor(rand() * l.length));
  const takeRandom = (k: number): number => {
    const l = live[k]!;
    const i = pickIndex(l);
    const r = l[i]!;
    l[i] = l[l.length - 1]!;
    l.pop();
    return r;
  };
  while (n < messages + STOCKS.length) {
    const k = Math.floor(rand() * STOCKS.length);
    const u = rand();
    n++;
    if (live[k]!.length < 50 || u < (live[k]!.length < 2000 ? 0.5 : 0.38)) {
      add(k);
      continue;
    }
    if (u < 0.7) {
      const r = takeRandom(k);
      info.delete(r);
      buf.writeBigUInt64BE(BigInt(r), head('D', k + 1, 19));
    } else if (u < 0.8) {
      const r = live[k]![pickIndex(live[k]!)]!;
      const o = info.get(r)!;
      if (o.shares <= 100) {
        add(k);
        continue;
      }
      const b = head('X', k + 1, 23);
      buf.writeBigUInt64BE(BigInt(r), b);
      buf.writeUInt32BE(100, b + 8);
      o.shares -= 100;
    } else if (u < 0.92) {
      const r = takeRandom(k);
      const o = info.get(r)!;
      info.delete(r);
      const b = head('E', k + 1, 31);
      buf.writeBigUInt64BE(BigInt(r), b);
      buf.writeUInt32BE(o.shares, b + 8);
      buf.writeBigUInt64BE(BigInt(matchNo++), b + 12);
    } else {
      const r = takeRandom(k);
      const o = info.get(r)!;
      info.delete(r);
      const nr = ref++;
      const price = o.price + (o.buy ? -100 : 100);
      const b = head('U', k + 1, 35);
      buf.writeBigUInt64BE(BigInt(r), b);
      buf.writeBigUInt64BE(BigInt(nr), b + 8);
      buf.writeUInt32BE(o.shares, b + 16);
      buf.writeUInt32BE(price, b + 20);
      live[k]!.push(nr);
      info.set(nr, { ...o, price });
    }
  }
  return { bytes: buf.subarray(0, at), messages: n, stocks: STOCKS };
}
