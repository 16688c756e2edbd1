import type { Readable } from 'zeromq';
import { transportMetrics } from './transport-metrics.js';

/**
 * The one receive loop every wrapper runs: counts each message, hands it to `handle`, and keeps going
 * when the handler throws (counted in hft_handler_errors_total, reported to `onHandlerError`). Ends
 * quietly when the socket is closed.
 */
export async function receiveLoop(
  sock: Readable & { closed: boolean },
  stream: string,
  handle: (frames: Buffer[]) => void,
  onHandlerError?: (e: unknown) => void,
): Promise<void> {
  const m = transportMetrics();
  const labels = { stream };
  try {
    for await (const frames of sock) {
      m.received.inc(labels);
      try {
        handle(frames);
      } catch (e) {
        m.handlerErrors.inc(labels);
        onHandlerError?.(e);
      }
    }
  } catch (e) {
    if (!sock.closed) throw e;
  }
}
