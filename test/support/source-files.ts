import fs from 'node:fs';
import path from 'node:path';

/** The project's source folder. */
export const SRC = path.join(__dirname, '..', '..', 'src');

/** Every .ts file under `dir`, recursively. */
export function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    return d.isDirectory() ? sourceFiles(p) : d.name.endsWith('.ts') ? [p] : [];
  });
}
