import { isAbsolute, join, resolve } from 'node:path';
import { workspaceRoot } from '@hft/config';

/** The built entry point of a daemon. */
export function appMain(app: string): string {
  return join(workspaceRoot(), 'apps', app, 'dist', 'src', 'main.js');
}

/** A config path: absolute, or relative to the repository root. */
export function fromRoot(p: string): string {
  return isAbsolute(p) ? p : resolve(workspaceRoot(), p);
}
