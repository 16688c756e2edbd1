import { readFileSync } from 'node:fs';

/** Where a service token reports trouble (a pino logger fits). */
export interface TokenLog {
  warn(obj: object, msg: string): void;
}

/**
 * A daemon's own identity towards other daemons' HTTP APIs: a service account logs in to the
 * security daemon and refreshes its token before it expires.
 */
export class ServiceToken {
  private token: string | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly securityUrl: string,
    private readonly user: string,
    private readonly passwordFile: string,
    private readonly log: TokenLog,
  ) {}

  start(): void {
    void this.refresh();
  }

  get current(): string | null {
    return this.token;
  }

  /** The token once the first login has succeeded (null after `timeoutMs`). */
  async ready(timeoutMs: number): Promise<string | null> {
    const end = Date.now() + timeoutMs;
    while (!this.token && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    return this.token;
  }

  private async refresh(): Promise<void> {
    let next = 5_000;
    try {
      const password = readFileSync(this.passwordFile, 'utf8').trim();
      const res = await fetch(`${this.securityUrl}/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: this.user, password }), signal: AbortSignal.timeout(5000) });
      if (!res.ok) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
      const t = (await res.json()) as { access_token: string; expires_in: number };
      this.token = t.access_token;
      next = Math.max(5_000, t.expires_in * 800);
    } catch (e) {
      this.log.warn({ err: (e as Error).message, user: this.user }, 'service token not obtained yet; retrying');
    }
    this.timer = setTimeout(() => void this.refresh(), next);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
  }
}
