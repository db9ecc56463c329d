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
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
  return out;
}

/**
 * The longest start of `text` (whole characters) whose JSON string, as UTF-8, takes at most `maxBytes`: what
 * Temporal counts for a search attribute value (2 KB at most by default). Quotes, backslashes and control characters
 * take their escapes' room, a lone surrogate its `\uXXXX`.
 */
export function clipForJson(text: string, maxBytes: number): string {
  if (6 * text.length + 2 <= maxBytes) return text;
  let used = 2;
  let end = 0;
  while (end < text.length) {
    const c = text.codePointAt(end)!;
    const width = c > 0xffff ? 2 : 1;
    const cost =
      c === 0x22 || c === 0x5c
        ? 2
        : c < 0x20 || (c >= 0xd800 && c <= 0xdfff)
          ? 6
          : c < 0x80
            ? 1
            : c < 0x800
              ? 2
              : c <= 0xffff
                ? 3
                : 4;
    if (used + cost > maxBytes) break;
    used += cost;
    end += width;
  }
  return text.slice(0, end);
}
