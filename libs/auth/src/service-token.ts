import { readFileSync } from 'node:fs';

/** Where a service token reports trouble (a pino logger fits). */
export interface TokenLog {
  warn(obj: object, msg: string): void;
}

/** A daemon section's service account settings (`service_user`, `service_password_file`, `security_url`). */
export interface ServiceAccountSettings {
  security_url: string;
  service_user?: string | undefined;
  service_password_file?: string | undefined;
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

  /** The section's service account, started; null when the section names none. `path` resolves the password file. */
  static of(s: ServiceAccountSettings, path: (p: string) => string, log: TokenLog): ServiceToken | null {
    if (!s.service_user || !s.service_password_file) return null;
    const t = new ServiceToken(s.security_url, s.service_user, path(s.service_password_file), log);
    t.start();
    return t;
  }

  start(): void {
    void this.refresh();
  }

  /** The token once logged in (null after 10 s without): what an API client sends as its bearer. */
  bearer(): Promise<string | null> {
    return this.ready(10_000);
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
