/**
 * String literals of Temporal visibility queries: the one place they are quoted, so a value (a trace id, a task
 * queue, a filter) can never end its literal early or change the query.
 *
 * Temporal reads list filters with a MySQL-dialect tokenizer (temporalio/sqlparser): inside a quoted literal a
 * backslash escapes the next character and the quote character ends it; every other byte, UTF-8 included, stands
 * for itself. So a backslash is doubled and the quote is escaped, in that order.
 */
export function queryString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** `IN (...)` of quoted values. */
export function queryList(values: readonly string[]): string {
  return `(${values.map(queryString).join(', ')})`;
}

// Temporal's SQL visibility stores (SQLite, as in the dev server, and PostgreSQL) write a parsed literal back into
// SQL escaped the MySQL way (its query converter's escapeCharMap: \\ " and \b \n \r \t get a backslash), and those
// databases read the backslash literally: a value holding one of these characters matches nothing there.
const SQL_REESCAPED = /[\\"\b\n\r\t]/;

/** Whether an equality or IN on this value finds it on every visibility store (else look it up another way). */
export function queryMatchable(value: string): boolean {
  return !SQL_REESCAPED.test(value);
}
