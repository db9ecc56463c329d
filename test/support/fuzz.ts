import fc from 'fast-check';

/**
 * How much the fuzz suite does, from the environment, so a failure reproduces and the long run is one variable:
 *   FUZZ_LONG=1     the long run (`npm run test:fuzz`): the long case counts below;
 *   FUZZ_RUNS=n     cases per property (overrides both modes; a property that is costly per case runs n / weight);
 *   FUZZ_SEED=s     the seed a failure printed, and
 *   FUZZ_PATH=p     its path: together (with mocha -g naming that one property) they replay the shrunk failing case;
 *   FUZZ_RECORDS=n  records the stack fuzz (test/integration/fuzz-bridge.test.ts) produces.
 * Without them a short run (part of `npm test`) uses a fresh random seed each time, printed when a property fails.
 */
export const FUZZ_LONG = process.env.FUZZ_LONG === '1';

function envInt(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const n = Number(raw);
  if (!Number.isSafeInteger(n)) throw new Error(`${name}=${raw} is not an integer`);
  return n;
}

/** Cases of one property: FUZZ_RUNS / weight, else the short or long default of the mode. */
export function fuzzRuns(short: number, long = short * 20, weight = 1): number {
  const runs = envInt('FUZZ_RUNS');
  if (runs !== undefined) return Math.max(1, Math.floor(runs / weight));
  return FUZZ_LONG ? long : short;
}

/** fast-check parameters of one property: its case count and, when given, the seed and path to replay. */
export function fuzzParams<T>(short: number, long = short * 20, weight = 1): fc.Parameters<T> {
  const seed = envInt('FUZZ_SEED');
  const path = process.env.FUZZ_PATH;
  return {
    numRuns: fuzzRuns(short, long, weight),
    ...(seed === undefined ? {} : { seed }),
    ...(path ? { path } : {}),
    reporter: failWithReplayHint,
  };
}

/** Cut to `max` characters: a counter-example of megabytes is unreadable, its seed and path reproduce it. */
function clip(text: string, max = 1500): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length} characters in all)`;
}

/** The failure report of a property: how to replay it first, then the (clipped) counter-example and error. */
function failWithReplayHint<T>(out: fc.RunDetails<T>): void {
  if (!out.failed) return;
  const replay = `FUZZ_SEED=${out.seed} FUZZ_PATH=${out.counterexamplePath ?? ''} npx mocha <this file> -g '<this test>'`;
  const example = out.counterexample === null ? '(none)' : clip(fc.stringify(out.counterexample));
  const cause = out.errorInstance instanceof Error ? out.errorInstance : new Error(String(out.errorInstance));
  const err = new Error(
    `property failed after ${out.numRuns} case(s), shrunk ${out.numShrinks} time(s); replay with: ${replay}\n` +
      `counter-example: ${example}\ncaused by: ${clip(cause.message, 3000)}`,
  );
  err.stack = `${err.message}\n${(cause.stack ?? '').split('\n').slice(1, 8).join('\n')}`;
  throw err;
}

/** Records the stack fuzz produces: FUZZ_RECORDS, else the mode's default. */
export function fuzzRecords(short: number, long: number): number {
  return envInt('FUZZ_RECORDS') ?? (FUZZ_LONG ? long : short);
}

/** A deterministic generator for the stack fuzz: FUZZ_SEED (printed by the test) or a fresh one. */
export function fuzzSeed(): number {
  return envInt('FUZZ_SEED') ?? Math.floor(Math.random() * 0x7fffffff);
}

// --- Hostile text ---

/** Characters that break naive handling: controls, bidi overrides, zero-width, surrogate pairs, quoting. */
const NASTY_CHARS = [
  '\u0000',
  '\u0001',
  '\u001f',
  '\u007f',
  '\u202e',
  '\u2066',
  '\u200f',
  '\u200b',
  '\ufeff',
  '\ud83d\ude00',
  '\u00e9',
  'e\u0301',
  '\u4e2d',
  '\\',
  "'",
  '"',
  '/',
  '..',
  '%',
  '%2F',
  '\n',
  ' ',
  '.',
  ':',
  '?',
  '#',
  '&',
  '=',
];

/** Strings of any code points, biased toward the ones that break naive code. */
export const hostileString = (maxLength = 40): fc.Arbitrary<string> =>
  fc.oneof(
    fc.string({ maxLength, unit: 'grapheme' }),
    fc.string({ maxLength, unit: 'binary' }),
    fc.array(fc.constantFrom(...NASTY_CHARS), { maxLength }).map((a) => a.join('')),
    fc
      .tuple(fc.string({ maxLength: 8 }), fc.constantFrom(...NASTY_CHARS), fc.nat(400))
      .map(([s, c, n]) => s + c.repeat(n)),
  );

/** A string with lone surrogates (not encodable as UTF-8) as well as valid ones. */
export const anyUnicode = (maxLength = 40): fc.Arbitrary<string> =>
  fc.oneof(
    fc.string({ maxLength, unit: 'binary' }),
    fc.string({ maxLength, unit: 'grapheme' }),
    hostileString(maxLength),
  );

/** A JSON value nested `depth` levels deep in arrays or objects (what a stack-bound parser or printer chokes on). */
export function nested(depth: number, kind: 'array' | 'object' | 'mixed' = 'mixed'): unknown {
  let v: unknown = 'leaf';
  for (let i = 0; i < depth; i++) {
    const useArray = kind === 'array' || (kind === 'mixed' && i % 2 === 0);
    v = useArray ? [v] : { d: v };
  }
  return v;
}

/** Nested JSON as text, built without JSON.stringify (which itself overflows on deep values). */
export function nestedText(depth: number, kind: 'array' | 'object' | 'mixed' = 'mixed'): string {
  let open = '';
  let close = '';
  for (let i = 0; i < depth; i++) {
    const useArray = kind === 'array' || (kind === 'mixed' && i % 2 === 0);
    open = useArray ? `${open}[` : `${open}{"d":`;
    close = useArray ? `]${close}` : `}${close}`;
  }
  return `${open}"leaf"${close}`;
}

/**
 * Every key and string of a JSON-like value, joined by newlines: what a reader of its JSON could see, collected
 * without recursion (JSON.stringify overflows on a deeply nested value).
 */
export function textsOf(value: unknown): string {
  const out: string[] = [];
  const todo: unknown[] = [value];
  while (todo.length > 0) {
    const v = todo.pop();
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) for (const item of v) todo.push(item);
    else if (v !== null && typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) todo.push(k, child);
    }
  }
  return out.join('\n');
}
