import yargs from 'yargs';

export interface OmsArgs {
  config?: string;
  httpPort?: number;
  migrateOnly: boolean;
}

export function parseArgs(argv: string[]): OmsArgs {
  return yargs(argv)
    .scriptName('hft-oms')
    .usage('$0 [options]\n\nOrder management: ledgers approved orders in Postgres, sends them to execution,\napplies execution reports through the order state machine, reconciles with the venue.')
    .option('config', { type: 'string', describe: 'platform config (default $HFT_CONFIG or config/platform.toml)' })
    .option('http-port', { type: 'number', describe: 'port for /api/orders, /api/trades, /metrics, /health (default [oms].http_port)' })
    .option('migrate-only', { type: 'boolean', default: false, describe: 'apply ledger migrations and exit' })
    .strict()
    .help()
    .version(false)
    .parseSync() as OmsArgs;
}
