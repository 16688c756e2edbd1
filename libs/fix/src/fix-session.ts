import type { Frame } from './fix-framer.js';
import { encodeFix, fixTime, parseFixTime, type FixMessage } from './fix-message.js';
import { FIX44_MSG_TYPES, MsgType, SessionRejectReason, Tag } from './fix-tags.js';
import type { FileSessionStore } from './session-store.js';

/** One TCP connection as the session sees it. */
export interface FixTransport {
  write(raw: Buffer): void;
  /** Close after what was written has gone out. */
  end(): void;
}

/** A session-level refusal the application asks for: a Reject (3) naming the tag. */
export interface SessionRefusal {
  reject: { tag: number; reason: number; text: string };
}

/** What the application did with an inbound message: a note stored with it, then work done after the store. */
export interface Handled {
  meta?: unknown;
  after?: () => void;
}

export interface SessionApplication {
  /** Check a Logon's credentials (Username 553, Password 554). */
  authenticate(logon: FixMessage): Promise<{ ok: true } | { ok: false; text: string }>;
  /** An application message, in sequence, exactly once (resends of processed ones never reach here). */
  onMessage(msg: FixMessage): Handled | SessionRefusal;
  onLogon?(): void;
  onLogout?(why: string): void;
}

export interface SessionEvents {
  /** Counted by the caller: rejects sent by SessionRejectReason, logouts by why, resends, gap fills. */
  onReject?(reason: number, text: string): void;
  onLogoutSent?(text: string): void;
  onResendRequested?(from: number, to: number): void;
  onResent?(messages: number, gapFills: number): void;
  log?(level: 'info' | 'warn', msg: string, fields?: Record<string, unknown>): void;
}

export interface SessionSettings {
  beginString: string;
  /** Our CompID: TargetCompID of what comes in, SenderCompID of what goes out. */
  ourCompId: string;
  theirCompId: string;
  /** Largest HeartBtInt (s) a counterparty may ask for; smaller ones are taken as asked. */
  maxHeartBtInt: number;
  /** SendingTime further than this from our clock is refused (SessionRejectReason 10). */
  maxClockSkewMs: number;
}

type State = 'disconnected' | 'authenticating' | 'active' | 'logging_out';

/**
 * The FIX session layer of one counterparty (one SenderCompID/TargetCompID pair), kept across its
 * connections: logon and its credentials, MsgSeqNum checks both ways, heartbeats and test requests,
 * resend requests answered from the store (application messages with PossDupFlag, gap fills for
 * the rest), sequence resets, logout. Inbound messages beyond a gap are dropped after one
 * ResendRequest and taken when the counterparty resends them in order.
 */
export class FixSession {
  private state: State = 'disconnected';
  private conn: FixTransport | null = null;
  private heartBtMs = 30_000;
  private lastIn = 0;
  private lastOut = 0;
  private testReqAt = 0;
  private testReqId = '';
  /** The inbound sequence number up to which a ResendRequest of ours is outstanding. */
  private resendUntil = 0;
  private queued: Frame[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    readonly settings: SessionSettings,
    readonly store: FileSessionStore,
    private readonly app: SessionApplication,
    private readonly ev: SessionEvents = {},
  ) {}

  get loggedOn(): boolean {
    return this.state === 'active';
  }

  get connected(): boolean {
    return this.conn !== null;
  }

  /** A connection whose first frame is a Logon for this session; false when it was turned away. */
  attach(conn: FixTransport, logon: Frame): boolean {
    if (this.conn) {
      // One connection per session: the second is told why and closed, the first stays.
      const raw = this.encode(MsgType.Logout, [[Tag.Text, 'session already logged on from another connection']], 1);
      conn.write(raw);
      conn.end();
      this.ev.onLogoutSent?.('already logged on');
      return false;
    }
    this.conn = conn;
    this.state = 'authenticating';
    this.queued = [];
    this.lastIn = Date.now();
    void this.logon(logon);
    return true;
  }

  /** The connection went away (either side); another connection's going leaves this one alone. */
  detach(conn: FixTransport | null = this.conn): void {
    if (!this.conn || conn !== this.conn) return;
    this.conn = null;
    const was = this.state;
    this.state = 'disconnected';
    this.stopTimer();
    this.resendUntil = 0;
    if (was === 'active' || was === 'logging_out') this.app.onLogout?.('disconnected');
  }

  /** A frame from the current connection. */
  onFrame(f: Frame): void {
    this.lastIn = Date.now();
    if (this.state === 'authenticating') {
      this.queued.push(f);
      return;
    }
    if (this.state !== 'active' && this.state !== 'logging_out') return;
    this.process(f);
  }

  /** Send an application message (stored first; queued for resend when not connected). */
  sendApp(type: string, body: readonly (readonly [number, string | number])[], meta?: unknown): number {
    const seq = this.store.nextSender;
    const raw = this.encode(type, body, seq);
    this.store.append({ kind: 'out', seq, raw: raw.toString('latin1'), ...(meta !== undefined ? { meta } : {}) });
    if (this.state === 'active') this.write(raw);
    return seq;
  }

  /** Log out with a reason, then close (the counterparty's Logout, or a short wait, ends it). */
  logout(text: string): void {
    if (!this.conn) return;
    this.sendAdmin(MsgType.Logout, text ? [[Tag.Text, text]] : []);
    this.ev.onLogoutSent?.(text);
    this.state = 'logging_out';
    const conn = this.conn;
    setTimeout(() => {
      if (this.conn === conn) {
        conn.end();
        this.detach();
      }
    }, 2000).unref();
  }

  private async logon(f: Frame): Promise<void> {
    const m = f.msg;
    const hb = Number(m.get(Tag.HeartBtInt));
    const problem =
      f.problem?.text ??
      (m.get(Tag.EncryptMethod) !== '0' ? 'EncryptMethod (98) must be 0' : null) ??
      (!Number.isInteger(hb) || hb <= 0 ? 'HeartBtInt (108) must be a positive integer' : null) ??
      (!Number.isInteger(m.seqNum) || m.seqNum < 1 ? 'MsgSeqNum (34) missing or not a positive integer' : null);
    if (problem) return this.refuseLogon(problem);
    const auth = await this.app.authenticate(m).catch((e: Error) => ({ ok: false as const, text: `credentials could not be checked: ${e.message}` }));
    if (!this.conn) return;
    if (!auth.ok) return this.refuseLogon(auth.text);
    const reset = m.get(Tag.ResetSeqNumFlag) === 'Y';
    if (reset) this.store.append({ kind: 'reset' });
    if (!reset && m.seqNum < this.store.nextTarget) {
      return this.refuseLogon(`MsgSeqNum too low, expecting ${this.store.nextTarget} but received ${m.seqNum}`);
    }
    this.heartBtMs = Math.min(hb, this.settings.maxHeartBtInt) * 1000;
    this.state = 'active';
    this.sendAdmin(MsgType.Logon, [[Tag.EncryptMethod, 0], [Tag.HeartBtInt, this.heartBtMs / 1000], ...(reset ? ([[Tag.ResetSeqNumFlag, 'Y']] as const) : [])]);
    this.ev.log?.('info', 'FIX logon', { session: this.id, inbound: m.seqNum, expected: this.store.nextTarget, nextOut: this.store.nextSender });
    if (m.seqNum > this.store.nextTarget) this.requestResend(m.seqNum);
    else this.store.append({ kind: 'in', seq: m.seqNum });
    this.startTimer();
    this.app.onLogon?.();
    const queued = this.queued;
    this.queued = [];
    for (const q of queued) this.process(q);
  }

  private refuseLogon(text: string): void {
    const conn = this.conn;
    if (!conn) return;
    // A refused logon is no part of the session: its Logout consumes no sequence number.
    conn.write(this.encode(MsgType.Logout, [[Tag.Text, text]], this.store.nextSender));
    this.ev.onLogoutSent?.(text);
    this.ev.log?.('warn', 'FIX logon refused', { session: this.id, text });
    conn.end();
    this.detach();
  }

  get id(): string {
    return `${this.settings.beginString}:${this.settings.ourCompId}->${this.settings.theirCompId}`;
  }

  private process(f: Frame): void {
    const m = f.msg;
    const seq = m.seqNum;
    if (!Number.isInteger(seq) || seq < 1) return this.logout('MsgSeqNum (34) missing or not a positive integer');
    if (m.get(Tag.BeginString) !== this.settings.beginString) return this.logout(`BeginString must be ${this.settings.beginString}`);
    if (m.get(Tag.SenderCompID) !== this.settings.theirCompId || m.get(Tag.TargetCompID) !== this.settings.ourCompId) {
      this.reject(m, Tag.SenderCompID, SessionRejectReason.CompIdProblem, `CompIDs must be ${this.settings.theirCompId} -> ${this.settings.ourCompId}`);
      return this.logout('CompID problem');
    }
    const type = m.type;
    // SequenceReset in reset mode moves the expected number whatever the message's own.
    if (type === MsgType.SequenceReset && m.get(Tag.GapFillFlag) !== 'Y') return this.sequenceReset(m, false);
    if (seq > this.store.nextTarget) {
      if (type === MsgType.ResendRequest) this.resend(m);
      if (type === MsgType.Logout) return this.theirLogout();
      // One ResendRequest per gap: later messages beyond it only widen what it covers.
      if (this.resendUntil === 0) this.requestResend(seq);
      else this.resendUntil = Math.max(this.resendUntil, seq);
      return;
    }
    if (seq < this.store.nextTarget) {
      if (m.get(Tag.PossDupFlag) === 'Y') return;
      return this.logout(`MsgSeqNum too low, expecting ${this.store.nextTarget} but received ${seq}`);
    }
    if (f.problem) return this.consume(seq, () => this.reject(m, f.problem!.tag, f.problem!.reason, f.problem!.text));
    const sent = m.get(Tag.SendingTime);
    if (sent === undefined) return this.consume(seq, () => this.reject(m, Tag.SendingTime, SessionRejectReason.RequiredTagMissing, 'SendingTime (52) missing'));
    const at = parseFixTime(sent);
    if (Number.isNaN(at)) return this.consume(seq, () => this.reject(m, Tag.SendingTime, SessionRejectReason.IncorrectDataFormat, `SendingTime ${JSON.stringify(sent)} is not a UTCTimestamp`));
    if (m.get(Tag.PossDupFlag) !== 'Y' && Math.abs(at - Date.now()) > this.settings.maxClockSkewMs) {
      this.consume(seq, () => this.reject(m, Tag.SendingTime, SessionRejectReason.SendingTimeAccuracyProblem, `SendingTime is more than ${this.settings.maxClockSkewMs / 1000} s from ours`));
      return this.logout('SendingTime accuracy problem');
    }
    if (m.duplicated.size > 0) {
      const tag = [...m.duplicated][0]!;
      return this.consume(seq, () => this.reject(m, tag, SessionRejectReason.TagAppearsMoreThanOnce, `tag ${tag} appears more than once`));
    }
    switch (type) {
      case MsgType.Heartbeat:
        if (this.testReqId && m.get(Tag.TestReqID) === this.testReqId) this.testReqId = '';
        return this.consume(seq);
      case MsgType.TestRequest:
        return this.consume(seq, () => this.sendAdmin(MsgType.Heartbeat, [[Tag.TestReqID, m.get(Tag.TestReqID) ?? '']]));
      case MsgType.ResendRequest:
        return this.consume(seq, () => this.resend(m));
      case MsgType.Reject:
        return this.consume(seq, () => this.ev.log?.('warn', 'FIX Reject received', { session: this.id, refSeqNum: m.get(Tag.RefSeqNum), text: m.get(Tag.Text) }));
      case MsgType.SequenceReset:
        return this.sequenceReset(m, true);
      case MsgType.Logout:
        return this.consume(seq, () => this.theirLogout());
      case MsgType.Logon:
        return this.consume(seq, () => this.reject(m, Tag.MsgType, SessionRejectReason.ValueIncorrect, 'already logged on'));
    }
    if (!FIX44_MSG_TYPES.has(type)) return this.consume(seq, () => this.reject(m, Tag.MsgType, SessionRejectReason.InvalidMsgType, `MsgType ${JSON.stringify(type)} is not a FIX 4.4 message type`));
    const r = this.app.onMessage(m);
    if ('reject' in r) return this.consume(seq, () => this.reject(m, r.reject.tag, r.reject.reason, r.reject.text));
    this.store.append({ kind: 'in', seq, ...(r.meta !== undefined ? { meta: r.meta } : {}) });
    this.advanced(seq);
    r.after?.();
  }

  /** Inbound `seq` is done: stored, then `then` (replies go out after the store says so). */
  private consume(seq: number, then?: () => void): void {
    this.store.append({ kind: 'in', seq });
    this.advanced(seq);
    then?.();
  }

  private advanced(seq: number): void {
    if (seq >= this.resendUntil) this.resendUntil = 0;
  }

  private sequenceReset(m: FixMessage, gapFill: boolean): void {
    const to = Number(m.get(Tag.NewSeqNo));
    if (!Number.isInteger(to) || to < this.store.nextTarget || (gapFill && to === this.store.nextTarget)) {
      const text = `NewSeqNo (36) ${m.get(Tag.NewSeqNo)} must be above ${this.store.nextTarget}`;
      if (gapFill) return this.consume(m.seqNum, () => this.reject(m, Tag.NewSeqNo, SessionRejectReason.ValueIncorrect, text));
      this.reject(m, Tag.NewSeqNo, SessionRejectReason.ValueIncorrect, text);
      return;
    }
    this.store.append({ kind: 'seq', target: to });
    this.advanced(to - 1);
    this.ev.log?.('info', gapFill ? 'FIX gap fill' : 'FIX sequence reset', { session: this.id, newSeqNo: to });
  }

  private requestResend(seen: number): void {
    const from = this.store.nextTarget;
    this.resendUntil = seen;
    this.sendAdmin(MsgType.ResendRequest, [[Tag.BeginSeqNo, from], [Tag.EndSeqNo, 0]]);
    this.ev.onResendRequested?.(from, seen);
    this.ev.log?.('info', 'FIX sequence gap: ResendRequest sent', { session: this.id, expected: from, received: seen });
  }

  /** Their ResendRequest: stored application messages again (PossDupFlag Y), gap fills for the rest. */
  private resend(m: FixMessage): void {
    const begin = Number(m.get(Tag.BeginSeqNo));
    const endRaw = Number(m.get(Tag.EndSeqNo));
    const last = this.store.nextSender - 1;
    if (!Number.isInteger(begin) || begin < 1 || !Number.isInteger(endRaw) || endRaw < 0) {
      return this.reject(m, Tag.BeginSeqNo, SessionRejectReason.ValueIncorrect, 'BeginSeqNo (7) and EndSeqNo (16) must be sequence numbers');
    }
    const end = endRaw === 0 || endRaw > last ? last : endRaw;
    let at = begin;
    let messages = 0;
    let fills = 0;
    const gapFill = (from: number, to: number): void => {
      this.write(this.encode(MsgType.SequenceReset, [[Tag.GapFillFlag, 'Y'], [Tag.NewSeqNo, to]], from, true));
      fills++;
    };
    for (const s of this.store.sentBetween(begin, end)) {
      if (s.seq > at) gapFill(at, s.seq);
      this.write(this.possDup(s.raw));
      messages++;
      at = s.seq + 1;
    }
    if (at <= end) gapFill(at, end + 1);
    this.ev.onResent?.(messages, fills);
    this.ev.log?.('info', 'FIX resend', { session: this.id, begin, end, messages, gapFills: fills });
  }

  /** A stored message as a possible duplicate: same MsgSeqNum and body, PossDupFlag Y, OrigSendingTime the first SendingTime. */
  private possDup(raw: string): Buffer {
    const parts = raw.split('\x01').slice(0, -2);
    const fields = parts.slice(2).map((p) => {
      const eq = p.indexOf('=');
      return [Number(p.slice(0, eq)), p.slice(eq + 1)] as [number, string];
    });
    const orig = fields.find(([t]) => t === Tag.SendingTime)?.[1] ?? fixTime(Date.now());
    const out: [number, string][] = [];
    for (const [t, v] of fields) {
      if (t === Tag.SendingTime) out.push([Tag.PossDupFlag, 'Y'], [t, fixTime(Date.now())], [Tag.OrigSendingTime, orig]);
      else out.push([t, v]);
    }
    return encodeFix(this.settings.beginString, out);
  }

  private theirLogout(): void {
    if (this.state !== 'logging_out') this.sendAdmin(MsgType.Logout, []);
    const conn = this.conn;
    this.detach();
    conn?.end();
  }

  private reject(m: FixMessage, tag: number, reason: number, text: string): void {
    const body: [number, string | number][] = [];
    if (Number.isInteger(m.seqNum)) body.push([Tag.RefSeqNum, m.seqNum]);
    if (tag > 0) body.push([Tag.RefTagID, tag]);
    if (m.type) body.push([Tag.RefMsgType, m.type]);
    body.push([Tag.SessionRejectReason, reason], [Tag.Text, text]);
    // A Reject is an application-visible message in FIX: stored like one, so a resend repeats it.
    this.sendApp(MsgType.Reject, body);
    this.ev.onReject?.(reason, text);
    this.ev.log?.('warn', 'FIX Reject sent', { session: this.id, refSeqNum: m.seqNum, tag, reason, text });
  }

  private sendAdmin(type: string, body: readonly (readonly [number, string | number])[]): void {
    const seq = this.store.nextSender;
    const raw = this.encode(type, body, seq);
    this.store.append({ kind: 'seq', sender: seq + 1 });
    this.write(raw);
  }

  private encode(type: string, body: readonly (readonly [number, string | number])[], seq: number, possDup = false): Buffer {
    const now = fixTime(Date.now());
    const header: [number, string | number][] = [[Tag.MsgType, type], [Tag.SenderCompID, this.settings.ourCompId], [Tag.TargetCompID, this.settings.theirCompId], [Tag.MsgSeqNum, seq]];
    if (possDup) header.push([Tag.PossDupFlag, 'Y'], [Tag.SendingTime, now], [Tag.OrigSendingTime, now]);
    else header.push([Tag.SendingTime, now]);
    return encodeFix(this.settings.beginString, [...header, ...body]);
  }

  private write(raw: Buffer): void {
    if (!this.conn) return;
    this.lastOut = Date.now();
    this.conn.write(raw);
  }

  private startTimer(): void {
    this.stopTimer();
    this.lastOut = Date.now();
    this.timer = setInterval(() => this.tick(), Math.min(1000, this.heartBtMs / 4)).unref();
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.testReqId = '';
  }

  private tick(): void {
    if (this.state !== 'active') return;
    const now = Date.now();
    if (this.testReqId && now - this.testReqAt > this.heartBtMs) {
      this.logout(`no Heartbeat answering TestRequest ${this.testReqId} within ${this.heartBtMs / 1000} s`);
      return;
    }
    if (!this.testReqId && now - this.lastIn > this.heartBtMs * 1.2) {
      this.testReqId = `T${now}`;
      this.testReqAt = now;
      this.sendAdmin(MsgType.TestRequest, [[Tag.TestReqID, this.testReqId]]);
    }
    if (now - this.lastOut >= this.heartBtMs) this.sendAdmin(MsgType.Heartbeat, []);
  }
}
