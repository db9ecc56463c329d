// Command-line options of the soak scripts: `--name value`, checked, with a clear error for a bad value.

/** `--name N`: a positive number, or `fallback` when the option is absent. */
export function numberArg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} takes a positive number, got ${process.argv[i + 1]}`);
  return v;
}

/** `--name value`: one of `choices` (the first is the default). */
export function choiceArg<T extends string>(name: string, choices: readonly [T, ...T[]]): T {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return choices[0];
  const v = process.argv[i + 1];
  const found = choices.find((c) => c === v);
  if (found === undefined) throw new Error(`--${name} takes one of ${choices.join(', ')}, got ${v}`);
  return found;
}

/** `--name value`: any non-empty text, or `fallback` when the option is absent. */
export function textArg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = process.argv[i + 1];
  if (!v || v.startsWith('--')) throw new Error(`--${name} takes a value`);
  return v;
}
