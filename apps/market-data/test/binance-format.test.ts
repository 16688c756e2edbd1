import { describe, expect, it } from 'vitest';
import { Aggressor, TickKind } from '@hft/messages';
import { replay, tmpFile } from './harness.js';

describe('Binance public trades / aggTrades', () => {
  it('reads trades without a header, with µs timestamps and the symbol given on the command line', async () => {
    const file = tmpFile(
      'btc.csv',
      ['1,68246.72,0.04647,3171.42,1772461800022114,False,True', '2,68256.70,0.01196,816.35,1772461800043341,True,True'].join('\n') + '\n',
    );
    const got = await replay({ files: [{ path: file, format: 'auto', symbol: 'BTC-USDT' }] });
    expect(got.ticks).toHaveLength(2);
    expect(got.ticks[0]).toMatchObject({ symbol: 'BTC-USDT', kind: TickKind.Trade, aggressor: Aggressor.Buyer, price: 68246.72, qtyUnits: 4647, qty: 0.04647, tsEvent: 1772461800022114000n });
    // isBuyerMaker = True: the seller took liquidity.
    expect(got.ticks[1]!.aggressor).toBe(Aggressor.Seller);
  });

  it('reads aggTrades with a header and ms timestamps, deriving the symbol from the file name', async () => {
    const file = tmpFile(
      'BTCUSDT-aggTrades-2024-06-01.csv',
      [
        'agg_trade_id,price,quantity,first_trade_id,last_trade_id,transact_time,is_buyer_maker,is_best_match',
        '10,67500.10,0.50000,100,104,1717200000123,true,true',
        '11,67500.20,0.25000,105,105,1717200000456,false,true',
      ].join('\n'),
    );
    const got = await replay({ files: [{ path: file, format: 'auto' }] });
    expect(got.ticks.map((t) => [t.symbol, t.price, t.qty, t.tsEvent, t.aggressor])).toEqual([
      ['BTC-USDT', 67500.1, 0.5, 1717200000123000000n, Aggressor.Seller],
      ['BTC-USDT', 67500.2, 0.25, 1717200000456000000n, Aggressor.Buyer],
    ]);
  });

  it('refuses rows that are not Binance trades and needs a symbol', async () => {
    const file = tmpFile('x.csv', ['1,68246.72,0.04647,3171.42,1772461800022114,False,True', '2,68246.72,0.04647,3171.42,1772461800022115,maybe,True', '3,oops,0.1,1,1772461800022116,False,True'].join('\n'));
    const got = await replay({ files: [{ path: file, format: 'binance-trades', symbol: 'BTC-USDT' }] });
    expect(got.ticks).toHaveLength(1);
    expect(got.summary.badRowsByReason).toEqual({ unknown_side: 1, non_numeric_price: 1 });
    const nameless = tmpFile('trades.csv', '1,68246.72,0.04647,3171.42,1772461800022114,False,True\n');
    await expect(replay({ files: [{ path: nameless, format: 'auto' }] })).rejects.toThrow(/carry no symbol.*@SYMBOL/);
  });
});
