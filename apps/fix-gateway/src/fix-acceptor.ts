import { createServer, type Server, type Socket } from 'node:net';
import { encodeFix, FixFramer, fixTime, MsgType, Tag, type FixSession } from '@hft/fix';
import type { Logger } from '@hft/logging';
import type { GatewayMetrics } from './gateway-metrics.js';

/**
 * The FIX acceptor: TCP connections, each cut into frames; the first must be a Logon naming a
 * configured session (SenderCompID, and our CompID as TargetCompID), which then owns the connection.
 * Anything else gets a Logout saying why, never a silent close.
 */
export class FixAcceptor {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();

  constructor(
    private readonly o: { beginString: string; compId: string; sessions: ReadonlyMap<string, FixSession>; log: Logger; metrics: GatewayMetrics },
  ) {
    this.server = createServer((s) => this.onConnection(s));
  }

  listen(host: string, port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        const a = this.server.address();
        resolve(typeof a === 'object' && a ? a.port : port);
      });
    });
  }

  private onConnection(sock: Socket): void {
    sock.setNoDelay(true);
    this.sockets.add(sock);
    const framer = new FixFramer();
    let session: FixSession | null = null;
    const transport = { write: (raw: Buffer) => void sock.write(raw), end: () => sock.end() };
    const refuse = (text: string, theirs = 'UNKNOWN'): void => {
      this.o.metrics.logouts.inc({ reason: 'refused_connection' });
      this.o.log.warn({ remote: sock.remoteAddress, text }, 'FIX connection refused');
      sock.end(encodeFix(this.o.beginString, [[Tag.MsgType, MsgType.Logout], [Tag.SenderCompID, this.o.compId], [Tag.TargetCompID, theirs], [Tag.MsgSeqNum, 1], [Tag.SendingTime, fixTime(Date.now())], [Tag.Text, text]]));
    };
    sock.on('data', (chunk: Buffer) => {
      framer.push(chunk);
      for (let f = framer.next(); f; f = framer.next()) {
        if ('garbled' in f) {
          this.o.metrics.garbled.inc({ reason: f.why.split(' ')[0]!.toLowerCase() });
          this.o.log.warn({ bytes: f.bytes, why: f.why }, 'FIX garbled input ignored');
          continue;
        }
        this.o.metrics.messagesIn.inc({ msg_type: f.msg.type || 'none' });
        if (session) {
          session.onFrame(f);
          continue;
        }
        const theirs = f.msg.get(Tag.SenderCompID) ?? 'UNKNOWN';
        if (f.msg.type !== MsgType.Logon) return refuse(`the first message must be a Logon (35=A), got 35=${f.msg.type}`, theirs);
        if (f.msg.get(Tag.BeginString) !== this.o.beginString) return refuse(`BeginString must be ${this.o.beginString}`, theirs);
        if (f.msg.get(Tag.TargetCompID) !== this.o.compId) return refuse(`TargetCompID must be ${this.o.compId}`, theirs);
        const s = this.o.sessions.get(theirs);
        if (!s) {
          this.o.metrics.logons.inc({ session: 'unknown', outcome: 'refused' });
          return refuse(`no session is configured for SenderCompID ${theirs}`, theirs);
        }
        if (s.attach(transport, f)) session = s;
      }
    });
    const gone = (): void => {
      this.sockets.delete(sock);
      session?.detach(transport);
      session = null;
    };
    sock.on('close', gone);
    sock.on('error', (e) => this.o.log.warn({ err: e.message }, 'FIX connection error'));
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    // Not listening yet (still catching up) is fine: close() then just reports that.
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}
