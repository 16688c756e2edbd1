import { writeFileSync } from 'node:fs';

/**
 * A deterministic tick file in the platform's own CSV format for benchmarks: 20% trades, 80% level
 * updates (some deletions), round-robin over `symbols`, `spacingNs` apart (default 50 µs), prices around 100.
 */
export function writeSyntheticTicks(path: string, rows: number, symbols: readonly string[] = ['AAPL', 'MSFT', 'NVDA'], spacingNs = 50_000n): void {
  const out: string[] = ['ts,symbol,type,side,price,qty'];
  let t = 1772461800_000_000_000n;
  for (let i = 0; i < rows; i++) {
    t += spacingNs;
    const r = i % 10;
    const type = r < 2 ? 'trade' : r < 6 ? 'bid' : 'ask';
    const px = (100 + ((i * 7) % 40) / 100 + (type === 'ask' ? 0.5 : 0)).toFixed(2);
    out.push(`${t},${symbols[i % symbols.length]},${type},${type === 'trade' ? (i & 1 ? 'buy' : 'sell') : ''},${px},${type === 'trade' ? 1 + (i % 300) : i % 7 === 0 ? 0 : 1 + (i % 900)}`);
  }
  writeFileSync(path, out.join('\n') + '\n');
}
