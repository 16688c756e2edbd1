import type { FastifyReply, FastifyRequest } from 'fastify';
import { counter, gauge } from '@hft/metrics';

interface Client {
  stream: string;
  symbols: Set<string> | null;
  reply: FastifyReply;
}

/**
 * Server-sent event streams. Each client names a stream and optionally `?instruments=A,B`; events are
 * JSON. A client that cannot keep up (socket buffer over 1 MiB) misses events, which are counted,
 * rather than growing the daemon's memory.
 */
export class SseHub {
  private readonly clients = new Set<Client>();
  private readonly dropped = counter({ name: 'hft_monitoring_sse_dropped_total', help: 'SSE events not sent to a slow client', labelNames: ['stream'] });
  private readonly connected = gauge({ name: 'hft_monitoring_sse_clients', help: 'Connected SSE clients', labelNames: ['stream'] });
  private readonly heartbeat: NodeJS.Timeout;

  constructor() {
    this.heartbeat = setInterval(() => {
      for (const c of this.clients) c.reply.raw.write(': keep-alive\n\n');
    }, 15_000);
    this.heartbeat.unref();
  }

  open(stream: string, req: FastifyRequest, reply: FastifyReply): void {
    // `instruments=` and `symbols=` are the same filter (the first is what users of option tools type).
    const q = req.query as { symbols?: string; instruments?: string };
    const list = q.instruments ?? q.symbols;
    const symbols = list ? new Set(list.split(',').map((s) => s.trim()).filter(Boolean)) : null;
    reply.hijack();
    reply.raw.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    reply.raw.write('retry: 2000\n\n');
    const c: Client = { stream, symbols, reply };
    this.clients.add(c);
    this.connected.inc({ stream });
    req.raw.on('close', () => {
      this.clients.delete(c);
      this.connected.dec({ stream });
    });
  }

  /** Send `data` as event `event` to the stream's clients (filtered by symbol when given). */
  publish(stream: string, event: string, data: unknown, symbol?: string): void {
    let payload: string | null = null;
    for (const c of this.clients) {
      if (c.stream !== stream || (symbol && c.symbols && !c.symbols.has(symbol))) continue;
      if (c.reply.raw.writableLength > 1 << 20) {
        this.dropped.inc({ stream });
        continue;
      }
      payload ??= `event: ${event}\ndata: ${JSON.stringify(data, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}\n\n`;
      c.reply.raw.write(payload);
    }
  }

  count(stream: string): number {
    let n = 0;
    for (const c of this.clients) if (c.stream === stream) n++;
    return n;
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const c of this.clients) c.reply.raw.end();
    this.clients.clear();
  }
}
