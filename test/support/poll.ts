/** Polls `check` every 200 ms until it holds; fails after `timeoutMs` with `describe()` saying what was seen. */
export async function until(
  what: string,
  check: () => Promise<boolean>,
  describe?: () => Promise<string>,
  timeoutMs = 180_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline)
      throw new Error(`timed out waiting until ${what}${describe ? `: ${await describe()}` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
