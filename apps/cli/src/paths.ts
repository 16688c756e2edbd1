import { join } from 'node:path';
import { workspaceRoot } from '@hft/config';

export const root = (): string => workspaceRoot();
/** Project-local state: logs, secrets, the running platform's pid file. */
export const runDir = (): string => process.env['HFT_RUN_DIR'] ?? join(root(), '.run');
