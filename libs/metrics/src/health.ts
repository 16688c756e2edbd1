export type HealthStatus = 'ok' | 'degraded' | 'down';

export interface ComponentHealth {
  status: HealthStatus;
  detail?: string;
}

export interface HealthReport {
  status: HealthStatus;
  daemon: string;
  uptimeSeconds: number;
  components: Record<string, ComponentHealth>;
}

/**
 * Components (redis, postgres, sockets...) report their own state; the daemon is as healthy as its
 * worst component. `/health` answers 503 when anything is down so orchestrators and `hft doctor` see it.
 */
export class HealthRegistry {
  private readonly components = new Map<string, () => ComponentHealth>();
  private readonly started = Date.now();

  constructor(readonly daemon: string) {}

  /** Register a probe, called on every /health request (keep it cheap: report cached state). */
  register(name: string, probe: () => ComponentHealth): void {
    this.components.set(name, probe);
  }

  /** Register a component with a settable state. */
  component(name: string, initial: ComponentHealth = { status: 'ok' }): (h: ComponentHealth) => void {
    let state = initial;
    this.register(name, () => state);
    return (h) => {
      state = h;
    };
  }

  report(): HealthReport {
    const components: Record<string, ComponentHealth> = {};
    let status: HealthStatus = 'ok';
    for (const [name, probe] of this.components) {
      let h: ComponentHealth;
      try {
        h = probe();
      } catch (e) {
        h = { status: 'down', detail: `probe failed: ${(e as Error).message}` };
      }
      components[name] = h;
      if (h.status === 'down') status = 'down';
      else if (h.status === 'degraded' && status === 'ok') status = 'degraded';
    }
    return { status, daemon: this.daemon, uptimeSeconds: Math.round((Date.now() - this.started) / 1000), components };
  }
}
