import { counter, gauge } from '@hft/metrics';

// Per-stream socket counters shared by every wrapper. `stream` is a bounded label (ticks, books,
// orders, approved, venue, order_events, risk_check, control).

export function transportMetrics(): {
  sent: ReturnType<typeof counter<'stream'>>;
  received: ReturnType<typeof counter<'stream'>>;
  sendDropped: ReturnType<typeof counter<'stream' | 'reason'>>;
  queueDepth: ReturnType<typeof gauge<'stream'>>;
  handlerErrors: ReturnType<typeof counter<'stream'>>;
} {
  return {
    sent: counter({ name: 'hft_zmq_sent_total', help: 'ZeroMQ messages sent, by stream', labelNames: ['stream'] }),
    received: counter({ name: 'hft_zmq_received_total', help: 'ZeroMQ messages received, by stream', labelNames: ['stream'] }),
    sendDropped: counter({
      name: 'hft_zmq_send_dropped_total',
      help: 'Messages not sent: hwm = peer high-water mark reached (PUB), queue_full = local send queue full, closed = socket closed',
      labelNames: ['stream', 'reason'],
    }),
    handlerErrors: counter({ name: 'hft_handler_errors_total', help: 'Message handlers that threw (the stream continued)', labelNames: ['stream'] }),
    queueDepth: gauge({ name: 'hft_zmq_send_queue_depth', help: 'Messages waiting in the local send queue', labelNames: ['stream'] }),
  };
}
