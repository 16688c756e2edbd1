import { describe as group, expect, it } from 'vitest';
import { meanReversionParams, MeanReversion } from '../src/index.js';
import { book, describe, fill, host, ms } from './harness.js';

const mid = (h: ReturnType<typeof host>['h'], at: number, m: number) => h.onBook(book('MSFT', ms(at), [[m - 0.01, 100]], [[m + 0.01, 100]]));

group('MeanReversion', () => {
  const p = meanReversionParams.parse({ kind: 'mean_reversion', symbol: 'MSFT', window: 5, entry_z: 1.5, exit_z: 0.5, order_qty: 10 });

  it('waits for a full window, enters short on a spike, exits when z comes back', () => {
    const { h, sent } = host('mr', new MeanReversion('mr', p));
    for (let i = 0; i < 4; i++) mid(h, i, 100);
    expect(sent).toEqual([]);
    // window [100 x4, 101]: mean 100.2, std 0.4472, z = 1.789 >= 1.5.
    mid(h, 4, 101);
    expect(sent.map(describe)).toEqual(['sell 10 @ 100.99 ioc']);
    // One order at a time: nothing while it is working.
    mid(h, 5, 101.5);
    expect(sent).toHaveLength(1);
    fill(h, sent[0]!, 10, 100.99, 0);
    // window [100, 100, 101, 101.5, 100]: mean 100.5, std 0.7071, z = -0.707 <= 0.5: cover.
    mid(h, 6, 100);
    expect(sent.map(describe)).toEqual(['sell 10 @ 100.99 ioc', 'buy 10 @ 100.01 ioc']);
  });

  it('enters long on a dip and exits long once z >= -exit', () => {
    const { h, sent } = host('mr', new MeanReversion('mr', p));
    for (let i = 0; i < 4; i++) mid(h, i, 100);
    mid(h, 4, 99);
    expect(sent.map(describe)).toEqual(['buy 10 @ 99.01 ioc']);
    fill(h, sent[0]!, 10, 99.01, 0);
    mid(h, 5, 99);
    expect(sent).toHaveLength(1);
    mid(h, 6, 100);
    expect(sent.map(describe)).toEqual(['buy 10 @ 99.01 ioc', 'sell 10 @ 99.99 ioc']);
  });

  it('refuses exit_z >= entry_z', () => {
    expect(() => meanReversionParams.parse({ ...p, exit_z: 2 })).toThrow(/exit_z must be below entry_z/);
  });
});
