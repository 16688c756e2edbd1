// apps/strategy/plugins/breakout.mjs
import { z } from 'zod';
export default {
  kind: 'breakout',
  params: z.object({ symbol: z.string(), qty: z.number().positive(), lookback: z.number().int().min(2) }),
  create: (id, p) => ({
    symbols: [p.symbol],
    onBook(book, ctx) {
      const f = ctx.features(p.symbol);
      if (ctx.openOrders().length === 0 && f.lastCandle && book.asks[0] && book.asks[0].price > f.lastCandle.high) {
        ctx.submit({ symbol: p.symbol, side: 'buy', qty: p.qty, price: book.asks[0].price, tif: 'ioc' });
      }
    },
  }),
};
