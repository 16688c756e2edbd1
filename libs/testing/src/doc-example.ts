import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { workspaceRoot } from '@hft/config';

/** The fenced block after `<!-- example: name -->` in a doc of the repository (docs are executed by tests). */
export function docExample(doc: string, name: string): string {
  const text = readFileSync(join(workspaceRoot(), doc), 'utf8');
  const m = new RegExp(`<!-- example: ${name} -->\\n\`\`\`\\w*\\n([\\s\\S]*?)\`\`\``).exec(text);
  if (!m) throw new Error(`${doc} has no example "${name}"`);
  return m[1]!;
}
