import { expect, it } from 'vitest';
import { PositionBook } from '../src/index.js';

it('keeps one position per strategy and symbol, in that symbol\'s units, listed in order', () => {
  const book = new PositionBook((s) => (s === 'BTC-USDT' ? 1e5 : 1));
  book.onFill('vwap', 'BTC-USDT', 'buy', 68000, 0.00001, 0);
  book.onFill('mm', 'AAPL', 'sell', 100, 10, 0.1);
  book.onFill('mm', 'AAPL', 'buy', 99, 4, 0);
  expect(book.list().map(({ strategy, position }) => [strategy, position.symbol, position.qty])).toEqual([
    ['mm', 'AAPL', -6],
    ['vwap', 'BTC-USDT', 0.00001],
  ]);
  expect(book.find('mm', 'AAPL')!.realized).toBe(4);
  expect(book.list('vwap')).toHaveLength(1);
  expect(book.find('mm', 'MSFT')).toBeUndefined();
});
