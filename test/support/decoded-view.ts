/**
 * Every decoding a reader could apply to a text (JSON escapes, percent-encoding, HTML's &amp;), until nothing
 * changes: what a redacted secret must not survive.
 */
export function decodedView(text: string): string {
  let cur = text;
  for (let i = 0; i < 40; i++) {
    const next = cur
      .replace(/\\+u([0-9a-f]{4})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16)))
      .replace(/\\+([/"\\])/g, '$1')
      .replace(/&amp;/gi, '&')
      .replace(/%([0-9a-f]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
    if (next === cur) return cur;
    cur = next;
  }
  return cur;
}
