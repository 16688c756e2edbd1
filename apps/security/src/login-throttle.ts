/** Failed logins per user in the last minute; beyond the limit a user is refused until it cools down. */
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly maxPerMinute: number) {}

  blocked(user: string, now = Date.now()): boolean {
    const recent = (this.failures.get(user) ?? []).filter((t) => now - t < 60_000);
    this.failures.set(user, recent);
    return recent.length >= this.maxPerMinute;
  }

  failed(user: string, now = Date.now()): void {
    const list = this.failures.get(user) ?? [];
    list.push(now);
    this.failures.set(user, list);
  }

  succeeded(user: string): void {
    this.failures.delete(user);
  }
}
