import fs from 'node:fs';
import path from 'node:path';

/** The launcher every way of running the CLI goes through; the folder holding it is the project root. */
const LAUNCHER = path.join('bin', 'kafka-pipeline.js');

/**
 * The project root (checkout or image folder) seen from `dir`, a folder of this code: `src/cli` when run through
 * tsx, `dist/src/cli` when compiled (KP_RUN_COMPILED=1, the image). The nearest folder above `dir` holding
 * bin/kafka-pipeline.js; two levels up when none does.
 */
export function projectRootFrom(dir: string, exists: (p: string) => boolean = fs.existsSync): string {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    if (exists(path.join(d, LAUNCHER))) return d;
    if (path.dirname(d) === d) return path.resolve(dir, '..', '..');
  }
}
