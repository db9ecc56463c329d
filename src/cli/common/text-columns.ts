/**
 * Text for a terminal: ids and reasons come from Kafka records, so they can hold any character. A column is cut
 * between graphemes (never inside a character or an emoji sequence) and measured in terminal cells; controls and
 * format characters (bidi overrides such as U+202E reorder the rest of the line) are shown as U+FFFD.
 */

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });
// Format characters except the zero-width joiner, which belongs to emoji sequences.
const UNPRINTABLE =
  /[\p{Cc}\p{Cs}\p{Zl}\p{Zp}\u00AD\u0600-\u0605\u061C\u06DD\u070F\u180E\u200B-\u200C\u200E-\u200F\u202A-\u202E\u2060-\u206F\uFEFF\uFFF9-\uFFFB]/gu;
// East Asian wide and full-width ranges, and emoji: two cells each.
const WIDE =
  /[\u1100-\u115F\u2E80-\u303E\u3041-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uA000-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6\u{1F300}-\u{1F64F}\u{1F900}-\u{1F9FF}\u{20000}-\u{3FFFD}]|\p{Extended_Pictographic}\uFE0F|\p{Emoji_Presentation}/u;

/** `text` with every control or format character replaced by U+FFFD (the zero-width joiner kept). */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, '\uFFFD');
}

/** printable() for text of several lines: line feeds and tabs are kept. */
export function printableLines(text: string): string {
  return text.replace(UNPRINTABLE, (ch) => (ch === '\n' || ch === '\t' ? ch : '\uFFFD'));
}

function cells(grapheme: string): number {
  return WIDE.test(grapheme) ? 2 : 1;
}

/** `text` as a column of `width` cells: padded, or cut between graphemes and ended with `…`. */
export function column(text: string, width: number): string {
  const parts = [...graphemes.segment(printable(text))].map((s) => s.segment);
  const total = parts.reduce((n, g) => n + cells(g), 0);
  if (total <= width) return parts.join('') + ' '.repeat(width - total);
  let out = '';
  let used = 0;
  for (const g of parts) {
    if (used + cells(g) > width - 1) break;
    out += g;
    used += cells(g);
  }
  return `${out}…${' '.repeat(width - 1 - used)}`;
}
