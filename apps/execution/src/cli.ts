import yargs from 'yargs';

export interface ExecArgs {
  config?: string;
  httpPort?: number;
}

export function parseArgs(argv: string[]): ExecArgs {
  return yargs(argv)
    .scriptName('hft-execution')
    .usage('$0 [options]\n\nExchange simulator: matches orders from the OMS in the native engine against each other and\nagainst the replayed market book, with a latency model and fees; publishes execution reports.')
    .option('config', { type: 'string', describe: 'platform config (default $HFT_CONFIG or config/platform.toml)' })
    .option('http-port', { type: 'number', describe: 'port for /metrics and /health (default [execution].http_port)' })
    .strict()
    .help()
    .version(false)
    .parseSync() as ExecArgs;
}
