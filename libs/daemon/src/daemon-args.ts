import yargs, { type InferredOptionTypes, type Options } from 'yargs';
import { hideBin } from 'yargs/helpers';

/** What every daemon accepts on its command line. */
export interface DaemonArgs {
  config?: string;
  httpPort?: number;
}

/**
 * The command line every daemon shares (`--config`, `--http-port`, `--help`), plus its own options.
 * Unknown options are refused with the usage, so a typo never starts a daemon with defaults.
 */
export function daemonArgs<O extends Record<string, Options> = Record<never, Options>>(name: string, summary: string, options?: O, argv: string[] = hideBin(process.argv)): DaemonArgs & InferredOptionTypes<O> {
  return yargs(argv)
    .scriptName(`hft-${name}`)
    .usage(`$0 [options]\n\n${summary}`)
    .option('config', { type: 'string', describe: 'platform config (default $HFT_CONFIG or config/platform.toml)' })
    .option('http-port', { type: 'number', describe: `port for the HTTP API, /metrics and /health (default [${name.replace('-', '_')}].http_port; 0 = any free port)` })
    .options(options ?? ({} as O))
    .strict()
    .help()
    .version(false)
    .parseSync() as unknown as DaemonArgs & InferredOptionTypes<O>;
}
