import fs from 'node:fs';
import path from 'node:path';

/** One instruction of a Dockerfile: continuation lines joined, comments dropped. */
export type Instruction = { readonly keyword: string; readonly args: string };
/** A build stage: its `FROM` arguments, its name (`AS name`) and its instructions after `FROM`. */
export type Stage = { readonly from: string; readonly name?: string; readonly instructions: Instruction[] };

/** The stages of a Dockerfile in order (shell-form instructions only; this project writes no heredocs). */
export function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    while (line.endsWith('\\') && i + 1 < lines.length) {
      const next = lines[++i]!.trim();
      if (next === '' || next.startsWith('#')) continue; // skipped inside a continued instruction, as Docker does
      line = `${line.slice(0, -1).trimEnd()} ${next}`;
    }
    const [, keyword, args] = /^(\S+)\s*(.*)$/.exec(line)!;
    if (keyword!.toUpperCase() === 'FROM') {
      const m = /^(.*?)(?:\s+AS\s+(\S+))?$/i.exec(args!)!;
      stages.push({ from: m[1]!, name: m[2], instructions: [] });
    } else {
      if (stages.length === 0 && keyword!.toUpperCase() !== 'ARG') throw new Error(`${keyword} before FROM`);
      stages.at(-1)?.instructions.push({ keyword: keyword!.toUpperCase(), args: args! });
    }
  }
  return stages;
}

/** A `COPY`: its `--from` stage if any, its sources (relative to the context or that stage) and its destination. */
export type Copy = { readonly from?: string; readonly sources: string[]; readonly dest: string };

export function copies(stage: Stage): Copy[] {
  return stage.instructions
    .filter((i) => i.keyword === 'COPY')
    .map((i) => {
      if (i.args.startsWith('[')) throw new Error(`COPY in JSON form is not read here: ${i.args}`);
      const words = i.args.split(/\s+/);
      const from = words.find((w) => w.startsWith('--from='))?.slice('--from='.length);
      const paths = words.filter((w) => !w.startsWith('--'));
      return { from, sources: paths.slice(0, -1).map((p) => p.replace(/^\.\//, '')), dest: paths.at(-1)! };
    });
}

export const readDockerfile = (root: string): Stage[] =>
  parseDockerfile(fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8'));
