/**
 * Poll `f` until it returns something other than undefined/false (and return that), or fail with
 * "timed out waiting for <what>". Conditions may be async.
 */
export async function until<T>(f: () => T | undefined | false | Promise<T | undefined | false>, what: string, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
