import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The `migrations/` folder of the package a module belongs to, whether the module runs from its
 * sources (`src/x.ts`) or built (`dist/src/x.js`).
 */
export function migrationsBeside(moduleUrl: string): string {
  const here = dirname(fileURLToPath(moduleUrl));
  const dir = [join(here, '..', 'migrations'), join(here, '..', '..', 'migrations')].find((d) => existsSync(d));
  if (!dir) throw new Error(`no migrations/ folder above ${here}`);
  return dir;
}
