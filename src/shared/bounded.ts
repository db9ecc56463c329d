/**
 * Runs `fn` over `items` with at most `limit` calls outstanding; results in input order. Pure promise code, so
 * workflows may use it too (deterministic: lanes start in order and take the next item in order).
 */
export async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  const queue = items.entries(); // one queue: each lane takes the next item in order
  const lane = async (): Promise<void> => {
    for (const [i, item] of queue) out[i] = await fn(item, i);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
  return out;
}

/** UTF-8 bytes a code point takes inside a JSON string (an upper bound for the short escapes \n, \t, …). */
function jsonBytesOf(c: number): number {
  if (c === 0x22 || c === 0x5c) return 2; // \" and \\
  if (c < 0x20 || (c >= 0xd800 && c <= 0xdfff)) return 6; // \uXXXX: control characters, lone surrogates
  if (c < 0x80) return 1;
  if (c < 0x800) return 2;
  return c <= 0xffff ? 3 : 4;
}

/**
 * The longest start of `text` (whole characters) whose JSON string, as UTF-8, takes at most `maxBytes`: what
 * Temporal counts for a search attribute value (2 KB at most by default).
 */
export function clipForJson(text: string, maxBytes: number): string {
  if (6 * text.length + 2 <= maxBytes) return text;
  let used = 2;
  let end = 0;
  while (end < text.length) {
    const c = text.codePointAt(end)!;
    if (used + jsonBytesOf(c) > maxBytes) break;
    used += jsonBytesOf(c);
    end += c > 0xffff ? 2 : 1;
  }
  return text.slice(0, end);
}

/**
 * `work`'s outcome, or `late()`'s (its value, or what it throws) if `work` has not settled within `ms`; the timer is
 * cleared either way.
 */
export function within<T>(work: Promise<T>, ms: number, late: () => T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<T>((resolve, reject) => {
    timer = setTimeout(() => {
      try {
        resolve(late());
      } catch (err) {
        reject(err);
      }
    }, ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/** Waits for `work`, but at most `ms` (its outcome is ignored; the timer is cleared either way). */
export async function waitAtMost(work: Promise<unknown>, ms: number): Promise<void> {
  await within(
    work.then(
      () => undefined,
      () => undefined,
    ),
    ms,
    () => undefined,
  );
}

/** Resolves once `stop` aborts (at once when it already has). */
export function aborted(stop: AbortSignal): Promise<void> {
  return stop.aborted
    ? Promise.resolve()
    : new Promise<void>((resolve) => stop.addEventListener('abort', () => resolve(), { once: true }));
}
