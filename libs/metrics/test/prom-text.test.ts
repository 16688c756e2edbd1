// The Prometheus text parser the CLI and tests read daemons' figures with.
import { describe, expect, it } from 'vitest';
import { byLabel, parsePromText, total } from '../src/index.js';

describe('prom-text', () => {
  it('parses the exposition format with labels, escapes and histogram suffixes', () => {
    const s = parsePromText(
      [
        '# HELP hft_x_total x',
        '# TYPE hft_x_total counter',
        'hft_x_total{reason="a \\"quoted\\" one",sym="AAPL"} 3',
        'hft_x_total{reason="b",sym="MSFT"} 4',
        'hft_lat_seconds_bucket{le="+Inf"} 7',
        'hft_up 1',
        '',
      ].join('\n'),
    );
    expect(s).toHaveLength(4);
    expect(s[0]!.labels).toEqual({ reason: 'a "quoted" one', sym: 'AAPL' });
    expect(total(s, 'hft_x_total')).toBe(7);
    expect(total(s, 'hft_x_total', { sym: 'MSFT' })).toBe(4);
    expect(byLabel(s, 'hft_x_total', 'sym')).toEqual({ AAPL: 3, MSFT: 4 });
    expect(total(s, 'hft_lat_seconds_bucket', { le: '+Inf' })).toBe(7);
    expect(total(s, 'hft_up')).toBe(1);
  });
});

