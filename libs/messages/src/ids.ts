import { randomUUID } from 'node:crypto';

/** Unique id of one message (UUID v4; crypto.randomUUID is pooled and ~100 ns). */
export function newEventId(): string {
  return randomUUID();
}
