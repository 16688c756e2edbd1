import { decodeMessage, ORDER_EVENT_TYPES, type OrderEvent, type OrderEventPage, type StrategyState } from '@hft/messages';

/** Where a consumer reads back what the stream carried: the OMS's ledger API. */
export interface OrderStreamSource {
  /** Events of one strategy after sequence `after`, oldest first, at most `limit`, and the stream's head. */
  events(strategyId: string, after: number, limit: number): Promise<OrderEventPage>;
  /** Positions and open orders of one strategy (or of all) at the head of its stream. */
  state(strategyId?: string): Promise<StrategyState[]>;
}

/**
 * The OMS's HTTP API as an OrderStreamSource (`GET /api/order-events`, `GET /api/order-state`), read
 * with a service token. Events are validated like frames off the socket.
 */
export class OmsReader implements OrderStreamSource {
  constructor(
    private readonly omsUrl: string,
    private readonly token: () => Promise<string | null>,
    private readonly timeoutMs = 10_000,
  ) {}

  private async get<T>(path: string): Promise<T> {
    const token = await this.token();
    if (!token) throw new Error('no service token (service account not configured, or the security daemon has not answered)');
    const res = await fetch(`${this.omsUrl}${path}`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(this.timeoutMs) });
    if (!res.ok) throw new Error(`GET ${path}: HTTP ${res.status} ${(await res.text()).slice(0, 300)}`);
    return (await res.json()) as T;
  }

  async events(strategyId: string, after: number, limit: number): Promise<OrderEventPage> {
    const page = await this.get<{ strategyId: string; head: number; events: unknown[] }>(`/api/order-events?strategy=${encodeURIComponent(strategyId)}&after=${after}&limit=${limit}`);
    const events: OrderEvent[] = [];
    for (const raw of page.events) {
      const d = decodeMessage(Buffer.from(JSON.stringify(raw)), ORDER_EVENT_TYPES);
      if (!d.ok) throw new Error(`order event ${JSON.stringify(raw).slice(0, 120)} from the OMS: ${d.reason}: ${d.detail}`);
      events.push(d.value);
    }
    return { strategyId: page.strategyId, head: page.head, events };
  }

  async state(strategyId?: string): Promise<StrategyState[]> {
    return (await this.get<{ strategies: StrategyState[] }>(`/api/order-state${strategyId === undefined ? '' : `?strategy=${encodeURIComponent(strategyId)}`}`)).strategies;
  }
}
