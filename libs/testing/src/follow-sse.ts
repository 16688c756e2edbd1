/**
 * Follow a server-sent event stream in the background and keep the events of one name (parsed JSON),
 * until `close` (what a browser's EventSource gets, for tests of the SSE endpoints).
 */
export function followSse<T = Record<string, unknown>>(url: string, event: string): { events: T[]; close(): void } {
  const ac = new AbortController();
  const events: T[] = [];
  const name = new RegExp(`^event: ${event}$`, 'm');
  void (async () => {
    const res = await fetch(url, { signal: ac.signal });
    const reader = res.body!.getReader();
    let buf = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buf += Buffer.from(value).toString('utf8');
      let end: number;
      while ((end = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, end);
        buf = buf.slice(end + 2);
        if (name.test(block)) events.push(JSON.parse(/^data: (.*)$/m.exec(block)![1]!) as T);
      }
    }
  })().catch(() => {});
  return { events, close: () => ac.abort() };
}
