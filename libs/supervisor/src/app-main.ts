import { join } from 'node:path';
import { workspaceRoot } from '@hft/config';

/** The built entry point of a daemon. */
export function appMain(app: string): string {
  return join(workspaceRoot(), 'apps', app, 'dist', 'src', 'main.js');
}
