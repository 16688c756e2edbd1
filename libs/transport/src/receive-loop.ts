import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Readable } from 'zeromq';
import { transportMetrics } from './transport-metrics.js';

/**
 * Messages a bulk (market-data) subscriber handles before it lets the event loop poll the other sockets.
 * zeromq.js resolves up to 512 receives in a row without returning to the loop while a socket has
 * messages queued, so a backlog of ticks would otherwise hold an order arriving on another socket.
 */
export const BULK_YIELD_EVERY = 8;

/**
 * The one receive loop every wrapper runs: counts each message, hands it to `handle`, and keeps going
 * when the handler throws (counted in hft_handler_errors_total, reported to `onHandlerError`). Ends
 * quietly when the socket is closed. With `yieldEvery`, it returns to the event loop after that many
 * messages in a row.
 */
export async function receiveLoop(
  sock: Readable & { closed: boolean },
  stream: string,
  handle: (frames: Buffer[]) => void,
  onHandlerError?: (e: unknown) => void,
  yieldEvery = 0,
): Promise<void> {
  const m = transportMetrics();
  const labels = { stream };
  let inRow = 0;
  try {
    for await (const frames of sock) {
      m.received.inc(labels);
      try {
        handle(frames);
      } catch (e) {
        m.handlerErrors.inc(labels);
        onHandlerError?.(e);
      }
      if (yieldEvery && ++inRow >= yieldEvery) {
        inRow = 0;
        await nextTurn();
      }
    }
  } catch (e) {
    if (!sock.closed) throw e;
  }
}
