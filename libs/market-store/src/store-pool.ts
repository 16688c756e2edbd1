import pg from 'pg';

// bigint columns (candle units, epoch ms) come back as numbers: every figure stored fits in 2^53.
pg.types.setTypeParser(20, (v) => Number(v));

/** A pool on the market store's database. Sessions run in UTC, so day partitions and buckets do not depend on the server's zone. */
export function storePool(url: string, max = 4): pg.Pool {
  return new pg.Pool({ connectionString: url, max, options: '-c TimeZone=UTC', application_name: 'hft-market-store' });
}
