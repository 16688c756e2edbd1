import yargs from 'yargs';

export interface StrategyArgs {
  config?: string;
  httpPort?: number;
  strategies?: string;
  identity?: string;
}

export function parseArgs(argv: string[]): StrategyArgs {
  return yargs(argv)
    .scriptName('hft-strategy')
    .usage('$0 [options]\n\nHosts the strategies enabled in [strategy] of config/platform.toml on live market data;\norders go to risk, execution reports come back from execution.')
    .option('config', { type: 'string', describe: 'platform config (default $HFT_CONFIG or config/platform.toml)' })
    .option('http-port', { type: 'number', describe: 'port for /metrics, /health, /api/strategies (default [strategy].http_port)' })
    .option('strategies', { type: 'string', describe: 'comma-separated strategy ids to run instead of [strategy].enabled' })
    .option('identity', { type: 'string', describe: 'ZeroMQ identity towards risk (default strategy-<pid>)' })
    .strict()
    .help()
    .version(false)
    .parseSync() as StrategyArgs;
}
