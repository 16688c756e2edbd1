import yargs from 'yargs';

export interface RiskArgs {
  config?: string;
  httpPort?: number;
  resetLimits: boolean;
}

export function parseArgs(argv: string[]): RiskArgs {
  return yargs(argv)
    .scriptName('hft-risk')
    .usage('$0 [options]\n\nPre-trade risk: checks every order from the strategies against the limits and state in Redis,\nforwards approved orders to the OMS, and serves the kill-switch and limits API.')
    .option('config', { type: 'string', describe: 'platform config (default $HFT_CONFIG or config/platform.toml)' })
    .option('http-port', { type: 'number', describe: 'port for the API, /metrics and /health (default [risk].http_port)' })
    .option('reset-limits', { type: 'boolean', default: false, describe: 'replace the live limits in Redis with the ones in the config file' })
    .strict()
    .help()
    .version(false)
    .parseSync() as RiskArgs;
}
