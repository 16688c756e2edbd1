import type { InstrumentRegistry } from '@hft/config';
import { BusinessRejectReason, fixTime, MsgType, SessionRejectReason, Tag, type FixMessage, type FixSession, type Handled, type SessionRefusal } from '@hft/fix';
import { envelope, idString, type CancelOrder, type OrderDenied, type OrderEvent, type OrderReplaceRejected, type ReplaceOrder, type SubmitOrder } from '@hft/messages';
import { Order, type OrderSpec } from '@hft/orders';
import { cxlRejReasonOf, CxlRejReason, ExecType, FIX_SIDE, ORD_STATUS, OrdRejReason, ordRejReasonOfDenial, SIDE_OF_FIX } from './fix-codes.js';
import type { GatewayMetrics } from './gateway-metrics.js';

type Body = [number, string | number][];

/** What the store keeps for a restart: orders and cancels taken in, the order-event sequence each report answered. */
type Note = { order: OrderSpec } | { cancel: { clOrdId: string; orig: string } } | { replace: { clOrdId: string; orig: string } } | { event: number };

interface DeskOrder {
  order: Order;
  /** The ClOrdID the order goes by now: its first, or that of its last replace. */
  clOrdId: string;
  /** The ClOrdID of a replace in flight. */
  replaceClOrdId: string | null;
  /** The ClOrdID of a cancel in flight (its reports carry it, with OrigClOrdID the order's). */
  cancelClOrdId: string | null;
  /** Why the OMS is cancelling it (a kill-switch, risk), for the Canceled report's Text. */
  cancelReason?: string;
}

export interface DeskDeps {
  strategyId: string;
  instruments: InstrumentRegistry;
  /** Send a command to risk; false when its queue is full. */
  send(cmd: SubmitOrder | CancelOrder | ReplaceOrder): boolean;
  /** The logged-on user's roles allow trading (orders:write). */
  mayTrade(): boolean;
  metrics: GatewayMetrics;
}

const num = (s: string | undefined): number => (s !== undefined && /^\d+(\.\d+)?$/.test(s) ? Number(s) : NaN);
const px = (v: number | null): string => (v === null ? '0' : String(v));

/**
 * The application behind one FIX session: NewOrderSingle, OrderCancelRequest, OrderStatusRequest
 * and OrderMassStatusRequest in; the counterparty's order events back as ExecutionReports and
 * OrderCancelRejects. Orders trade under the session's strategy id and pass risk like a strategy's.
 * Each order event is reported once: the store remembers which sequence number each report answered.
 */
export class OrderDesk {
  private readonly orders = new Map<string, DeskOrder>();
  /** The highest order-event sequence already reported (the store's notes say so after a restart). */
  reported = 0;
  private session: FixSession | null = null;

  constructor(private readonly d: DeskDeps) {}

  bind(session: FixSession): void {
    this.session = session;
    // Back to where the store says: the orders and cancels taken in, the events already reported.
    for (const n of session.store.notesSoFar()) {
      const note = n.meta as Note;
      if ('order' in note) {
        const inst = this.d.instruments.find(note.order.symbol);
        if (inst) this.orders.set(note.order.clientOrderId, { order: new Order(note.order, inst), clOrdId: note.order.clientOrderId, replaceClOrdId: null, cancelClOrdId: null });
      } else if ('cancel' in note) {
        const o = this.orders.get(note.cancel.orig);
        if (o) o.cancelClOrdId = note.cancel.clOrdId;
      } else if ('replace' in note) {
        const o = this.orders.get(note.replace.orig);
        if (o) {
          o.replaceClOrdId = note.replace.clOrdId;
          this.orders.set(note.replace.clOrdId, o);
        }
      } else if ('event' in note) this.reported = Math.max(this.reported, note.event);
    }
  }

  get openOrders(): number {
    let n = 0;
    // A replaced order is in the map under each of its ClOrdIDs: count it once.
    for (const o of new Set(this.orders.values())) if (o.order.isOpen) n++;
    return n;
  }

  onMessage(m: FixMessage): Handled | SessionRefusal {
    switch (m.type) {
      case MsgType.NewOrderSingle:
        return this.newOrder(m);
      case MsgType.OrderCancelRequest:
        return this.cancel(m);
      case MsgType.OrderStatusRequest:
        return this.status(m);
      case MsgType.OrderMassStatusRequest:
        return this.massStatus(m);
      case MsgType.OrderCancelReplaceRequest:
        return this.replace(m);
      default:
        return this.businessReject(m, BusinessRejectReason.UnsupportedMessageType, `MsgType ${m.type} is not taken by this gateway (D, F, H, AF are)`);
    }
  }

  private businessReject(m: FixMessage, reason: number, text: string, refId?: string): Handled {
    this.d.metrics.refused.inc({ msg_type: m.type, reason: `business_${reason}` });
    return {
      after: () =>
        this.session?.sendApp(MsgType.BusinessMessageReject, [
          [Tag.RefSeqNum, m.seqNum],
          [Tag.RefMsgType, m.type],
          ...(refId ? ([[Tag.BusinessRejectRefID, refId]] as Body) : []),
          [Tag.BusinessRejectReason, reason],
          [Tag.Text, text],
        ]),
    };
  }

  private missing(m: FixMessage, tags: readonly number[]): SessionRefusal | null {
    for (const t of tags) {
      if (!m.has(t)) {
        this.d.metrics.refused.inc({ msg_type: m.type, reason: 'required_tag_missing' });
        return { reject: { tag: t, reason: SessionRejectReason.RequiredTagMissing, text: `required tag ${t} missing` } };
      }
    }
    return null;
  }

  private bad(m: FixMessage, tag: number, reason: number, text: string): SessionRefusal {
    this.d.metrics.refused.inc({ msg_type: m.type, reason: reason === SessionRejectReason.IncorrectDataFormat ? 'incorrect_data_format' : 'value_incorrect' });
    return { reject: { tag, reason, text } };
  }

  private newOrder(m: FixMessage): Handled | SessionRefusal {
    const miss = this.missing(m, [Tag.ClOrdID, Tag.Symbol, Tag.Side, Tag.OrderQty, Tag.OrdType, Tag.TransactTime]);
    if (miss) return miss;
    const clOrdId = m.get(Tag.ClOrdID)!;
    const side = SIDE_OF_FIX[m.get(Tag.Side)!];
    if (!side) return this.bad(m, Tag.Side, SessionRejectReason.ValueIncorrect, `Side ${m.get(Tag.Side)} is not 1 (buy) or 2 (sell)`);
    const qty = num(m.get(Tag.OrderQty));
    if (!(qty > 0)) return this.bad(m, Tag.OrderQty, SessionRejectReason.IncorrectDataFormat, `OrderQty ${m.get(Tag.OrderQty)} is not a positive decimal`);
    const ordType = m.get(Tag.OrdType);
    if (ordType !== '1' && ordType !== '2') return this.bad(m, Tag.OrdType, SessionRejectReason.ValueIncorrect, `OrdType ${ordType} is not 1 (market) or 2 (limit)`);
    const price = ordType === '2' ? num(m.get(Tag.Price)) : null;
    if (ordType === '2' && !m.has(Tag.Price)) return { reject: { tag: Tag.Price, reason: SessionRejectReason.RequiredTagMissing, text: 'a limit order (OrdType 2) needs Price (44)' } };
    if (price !== null && !(price > 0)) return this.bad(m, Tag.Price, SessionRejectReason.IncorrectDataFormat, `Price ${m.get(Tag.Price)} is not a positive decimal`);
    const tif = m.get(Tag.TimeInForce) ?? '0';
    if (!['0', '1', '3'].includes(tif)) return this.bad(m, Tag.TimeInForce, SessionRejectReason.ValueIncorrect, `TimeInForce ${tif} is not 0 (day), 1 (GTC) or 3 (IOC)`);
    const postOnly = (m.get(Tag.ExecInst) ?? '').split(' ').includes('6');
    const symbol = m.get(Tag.Symbol)!;
    const report = (reason: number, text: string): Handled => {
      this.d.metrics.orders.inc({ outcome: 'rejected_by_gateway' });
      return { after: () => this.rejectNew(m, clOrdId, symbol, side, qty, reason, text) };
    };
    if (!this.d.mayTrade()) return this.businessReject(m, BusinessRejectReason.NotAuthorized, 'this session\'s user may not place orders (needs a role with orders:write)', clOrdId);
    if (!idString.safeParse(clOrdId).success) return report(OrdRejReason.Other, 'ClOrdID must be 1-64 characters of A-Z a-z 0-9 _ . : -');
    if (this.orders.has(clOrdId)) return report(OrdRejReason.DuplicateOrder, `ClOrdID ${clOrdId} was already used in this session`);
    const inst = this.d.instruments.find(symbol);
    if (!inst || inst.option) return report(OrdRejReason.UnknownSymbol, `unknown symbol ${symbol}`);
    const spec: OrderSpec = {
      strategyId: this.d.strategyId,
      clientOrderId: clOrdId,
      symbol,
      side,
      orderType: ordType === '2' ? 'limit' : 'market',
      // Day orders rest until canceled here: the simulator has no session end.
      timeInForce: tif === '3' ? 'ioc' : 'gtc',
      postOnly,
      price,
      quantity: qty,
      tsTick: null,
    };
    const order = new Order(spec, inst);
    this.orders.set(clOrdId, { order, clOrdId, replaceClOrdId: null, cancelClOrdId: null });
    return {
      meta: { order: spec } satisfies Note,
      after: () => {
        this.d.metrics.orders.inc({ outcome: 'sent_to_risk' });
        if (!this.d.send({ type: 'SubmitOrder', ...envelope(), ...spec })) this.onDenied(this.localDenial(spec, 'oms_unavailable', 'the queue to risk is full'));
      },
    };
  }

  private localDenial(spec: OrderSpec, code: 'oms_unavailable', reason: string): OrderDenied {
    return { type: 'OrderDenied', ...envelope(), strategyId: spec.strategyId, clientOrderId: spec.clientOrderId, symbol: spec.symbol, orderId: null, code, reason, values: {} };
  }

  /** An ExecutionReport Rejected for a NewOrderSingle the gateway itself refused (no order exists). */
  private rejectNew(m: FixMessage, clOrdId: string, symbol: string, side: 'buy' | 'sell', qty: number, reason: number, text: string): void {
    this.session?.sendApp(MsgType.ExecutionReport, [
      [Tag.OrderID, 'NONE'],
      [Tag.ClOrdID, clOrdId],
      [Tag.ExecID, `R-${m.seqNum}-${this.session.store.nextSender}`],
      [Tag.ExecType, ExecType.Rejected],
      [Tag.OrdStatus, '8'],
      [Tag.OrdRejReason, reason],
      [Tag.Symbol, symbol],
      [Tag.Side, FIX_SIDE[side]],
      [Tag.OrderQty, qty],
      [Tag.LeavesQty, 0],
      [Tag.CumQty, 0],
      [Tag.AvgPx, 0],
      [Tag.TransactTime, fixNow()],
      [Tag.Text, text],
    ]);
  }

  private cancel(m: FixMessage): Handled | SessionRefusal {
    const miss = this.missing(m, [Tag.ClOrdID, Tag.OrigClOrdID, Tag.Symbol, Tag.Side, Tag.TransactTime]);
    if (miss) return miss;
    const clOrdId = m.get(Tag.ClOrdID)!;
    const orig = m.get(Tag.OrigClOrdID)!;
    if (!this.d.mayTrade()) return this.businessReject(m, BusinessRejectReason.NotAuthorized, 'this session\'s user may not cancel orders (needs a role with orders:write)', clOrdId);
    const o = this.orders.get(orig);
    const refuse = (reason: number, text: string, status: string): Handled => {
      this.d.metrics.cancels.inc({ outcome: 'rejected_by_gateway' });
      return { after: () => this.cancelReject(clOrdId, orig, o?.order.orderId ?? null, status, reason, text) };
    };
    if (!o) return refuse(CxlRejReason.UnknownOrder, `no order with ClOrdID ${orig} in this session`, '8');
    if (!o.order.isOpen) return refuse(CxlRejReason.TooLateToCancel, `order ${orig} is ${o.order.status}`, ORD_STATUS[o.order.status]);
    if (o.cancelClOrdId !== null || o.replaceClOrdId !== null) return refuse(CxlRejReason.PendingCancelOrReplace, `a ${o.cancelClOrdId !== null ? 'cancel' : 'replace'} (${o.cancelClOrdId ?? o.replaceClOrdId}) of ${orig} is in flight`, ORD_STATUS[o.order.status]);
    o.cancelClOrdId = clOrdId;
    return {
      meta: { cancel: { clOrdId, orig } } satisfies Note,
      after: () => {
        this.d.metrics.cancels.inc({ outcome: 'sent_to_risk' });
        const ok = this.d.send({ type: 'CancelOrder', ...envelope(), strategyId: this.d.strategyId, clientOrderId: o.order.clientOrderId, symbol: o.order.symbol, ...(o.order.orderId !== null ? { orderId: o.order.orderId } : {}), reason: `FIX cancel ${clOrdId}` });
        if (!ok) {
          o.cancelClOrdId = null;
          this.cancelReject(clOrdId, orig, o.order.orderId, ORD_STATUS[o.order.status], CxlRejReason.Other, 'the queue to risk is full');
        }
      },
    };
  }

  private cancelReject(clOrdId: string, orig: string, orderId: number | null, status: string, reason: number, text: string, meta?: Note, responseTo: 1 | 2 = 1): void {
    this.session?.sendApp(
      MsgType.OrderCancelReject,
      [
        [Tag.OrderID, orderId ?? 'NONE'],
        [Tag.ClOrdID, clOrdId],
        [Tag.OrigClOrdID, orig],
        [Tag.OrdStatus, status],
        [Tag.CxlRejResponseTo, responseTo],
        [Tag.CxlRejReason, reason],
        [Tag.Text, text],
      ],
      meta,
    );
  }

  /** OrderCancelReplaceRequest: new price and/or total quantity for a resting limit order, a new ClOrdID for it. */
  private replace(m: FixMessage): Handled | SessionRefusal {
    const miss = this.missing(m, [Tag.ClOrdID, Tag.OrigClOrdID, Tag.Symbol, Tag.Side, Tag.OrdType, Tag.OrderQty, Tag.TransactTime]);
    if (miss) return miss;
    const clOrdId = m.get(Tag.ClOrdID)!;
    const orig = m.get(Tag.OrigClOrdID)!;
    if (!this.d.mayTrade()) return this.businessReject(m, BusinessRejectReason.NotAuthorized, 'this session\'s user may not replace orders (needs a role with orders:write)', clOrdId);
    const qty = num(m.get(Tag.OrderQty));
    if (!(qty > 0)) return this.bad(m, Tag.OrderQty, SessionRejectReason.IncorrectDataFormat, `OrderQty ${m.get(Tag.OrderQty)} is not a positive decimal`);
    if (m.get(Tag.OrdType) !== '2') return this.bad(m, Tag.OrdType, SessionRejectReason.ValueIncorrect, 'only a limit order (OrdType 2) can be replaced');
    if (!m.has(Tag.Price)) return { reject: { tag: Tag.Price, reason: SessionRejectReason.RequiredTagMissing, text: 'a replace needs Price (44)' } };
    const price = num(m.get(Tag.Price));
    if (!(price > 0)) return this.bad(m, Tag.Price, SessionRejectReason.IncorrectDataFormat, `Price ${m.get(Tag.Price)} is not a positive decimal`);
    const o = this.orders.get(orig);
    const refuse = (reason: number, text: string, status: string): Handled => {
      this.d.metrics.replaces.inc({ outcome: 'rejected_by_gateway' });
      return { after: () => this.cancelReject(clOrdId, orig, o?.order.orderId ?? null, status, reason, text, undefined, 2) };
    };
    if (!o) return refuse(CxlRejReason.UnknownOrder, `no order with ClOrdID ${orig} in this session`, '8');
    if (!o.order.isOpen) return refuse(CxlRejReason.TooLateToCancel, `order ${orig} is ${o.order.status}`, ORD_STATUS[o.order.status]);
    if (o.cancelClOrdId !== null || o.replaceClOrdId !== null) return refuse(CxlRejReason.PendingCancelOrReplace, `a ${o.cancelClOrdId !== null ? 'cancel' : 'replace'} of ${orig} is in flight`, ORD_STATUS[o.order.status]);
    if (!idString.safeParse(clOrdId).success || this.orders.has(clOrdId)) return refuse(CxlRejReason.Other, `ClOrdID ${clOrdId} is not a fresh id (1-64 characters of A-Z a-z 0-9 _ . : -, unused in this session)`, ORD_STATUS[o.order.status]);
    o.replaceClOrdId = clOrdId;
    this.orders.set(clOrdId, o);
    return {
      meta: { replace: { clOrdId, orig } } satisfies Note,
      after: () => {
        this.d.metrics.replaces.inc({ outcome: 'sent_to_risk' });
        const ok = this.d.send({ type: 'ReplaceOrder', ...envelope(), strategyId: this.d.strategyId, clientOrderId: o.order.clientOrderId, symbol: o.order.symbol, ...(o.order.orderId !== null ? { orderId: o.order.orderId } : {}), price, quantity: qty, reason: `FIX replace ${clOrdId}` });
        if (!ok) this.endReplace(o, false, CxlRejReason.Other, 'the queue to risk is full');
      },
    };
  }

  /** A replace in flight ended: its ClOrdID becomes the order's (replaced) or is given up (refused). */
  private endReplace(o: DeskOrder, done: boolean, reason: number, text: string, note?: Note): void {
    const c = o.replaceClOrdId;
    if (c === null) return;
    o.replaceClOrdId = null;
    if (done) {
      o.clOrdId = c;
      return;
    }
    this.orders.delete(c);
    this.cancelReject(c, o.clOrdId, o.order.orderId, ORD_STATUS[o.order.status], reason, text, note, 2);
  }

  /** Risk refused a replace's new terms (straight back, not on the stream). */
  onReplaceRejected(e: OrderReplaceRejected): void {
    const o = this.orders.get(e.clientOrderId);
    if (!o) return;
    this.endReplace(o, false, CxlRejReason.Other, `replace denied by risk: ${e.denyCode ?? e.code}: ${e.reason}`);
  }

  private status(m: FixMessage): Handled | SessionRefusal {
    const miss = this.missing(m, [Tag.ClOrdID, Tag.Symbol, Tag.Side]);
    if (miss) return miss;
    const clOrdId = m.get(Tag.ClOrdID)!;
    const o = this.orders.get(clOrdId);
    return {
      after: () => {
        if (o) return void this.report(o, ExecType.OrderStatus, `S-${m.seqNum}`, []);
        this.session?.sendApp(MsgType.ExecutionReport, [
          [Tag.OrderID, 'NONE'],
          [Tag.ClOrdID, clOrdId],
          [Tag.ExecID, `S-${m.seqNum}`],
          [Tag.ExecType, ExecType.OrderStatus],
          [Tag.OrdStatus, '8'],
          [Tag.OrdRejReason, OrdRejReason.UnknownOrder],
          [Tag.Symbol, m.get(Tag.Symbol)!],
          [Tag.Side, m.get(Tag.Side)!],
          [Tag.LeavesQty, 0],
          [Tag.CumQty, 0],
          [Tag.AvgPx, 0],
          [Tag.Text, `no order with ClOrdID ${clOrdId} in this session`],
        ]);
      },
    };
  }

  private massStatus(m: FixMessage): Handled | SessionRefusal {
    const miss = this.missing(m, [Tag.MassStatusReqID, Tag.MassStatusReqType]);
    if (miss) return miss;
    const id = m.get(Tag.MassStatusReqID)!;
    const type = m.get(Tag.MassStatusReqType)!;
    // 7 = every order; 1 = one security (Symbol); others are not kept apart here.
    if (type !== '7' && type !== '1') return this.bad(m, Tag.MassStatusReqType, SessionRejectReason.ValueIncorrect, `MassStatusReqType ${type} is not 1 (security) or 7 (all orders)`);
    if (type === '1' && !m.has(Tag.Symbol)) return { reject: { tag: Tag.Symbol, reason: SessionRejectReason.RequiredTagMissing, text: 'MassStatusReqType 1 needs Symbol (55)' } };
    const symbol = m.get(Tag.Symbol);
    const open = [...this.orders.values()].filter((o) => o.order.isOpen && (type === '7' || o.order.symbol === symbol));
    return {
      after: () => {
        const extra = (i: number): Body => [
          [Tag.MassStatusReqID, id],
          [Tag.TotNumReports, open.length],
          [Tag.LastRptRequested, i === open.length - 1 ? 'Y' : 'N'],
        ];
        open.forEach((o, i) => this.report(o, ExecType.OrderStatus, `M-${m.seqNum}-${i + 1}`, extra(i)));
        if (open.length === 0) {
          this.session?.sendApp(MsgType.ExecutionReport, [
            [Tag.OrderID, 'NONE'],
            [Tag.ExecID, `M-${m.seqNum}-0`],
            [Tag.ExecType, ExecType.OrderStatus],
            [Tag.OrdStatus, '8'],
            [Tag.Symbol, symbol ?? '[N/A]'],
            [Tag.Side, '1'],
            [Tag.LeavesQty, 0],
            [Tag.CumQty, 0],
            [Tag.AvgPx, 0],
            [Tag.MassStatusReqID, id],
            [Tag.TotNumReports, 0],
            [Tag.LastRptRequested, 'Y'],
            [Tag.Text, 'no open orders'],
          ]);
        }
      },
    };
  }

  /**
   * After a restart's catch-up: an order the store took in that the stream never mentioned died
   * between the store and risk (or its denial died with the process). A cancel voids it: the OMS
   * cancels it if it has it after all, or refuses it for ever, and the stream says which. A cancel the
   * stream shows no sign of is sent again (the OMS ignores a repeat).
   */
  voidUnanswered(): number {
    let n = 0;
    for (const o of new Set(this.orders.values())) {
      if (!o.order.isOpen) continue;
      const base = { ...envelope(), strategyId: this.d.strategyId, clientOrderId: o.order.clientOrderId, symbol: o.order.symbol };
      if (o.order.orderId === null && o.order.status === 'PendingNew') {
        if (this.d.send({ type: 'CancelOrder', ...base, reason: 'no outcome before the FIX gateway restarted' })) n++;
      } else if (o.cancelClOrdId !== null && o.order.status !== 'PendingCancel') {
        if (this.d.send({ type: 'CancelOrder', ...base, ...(o.order.orderId !== null ? { orderId: o.order.orderId } : {}), reason: `FIX cancel ${o.cancelClOrdId} (again after a gateway restart)` })) n++;
      }
    }
    return n;
  }

  /** Risk refused one of our orders (straight back, not on the sequenced stream). */
  onDenied(e: OrderDenied): void {
    const o = this.orders.get(e.clientOrderId);
    if (!o || !o.order.apply(e).ok) return;
    this.d.metrics.orders.inc({ outcome: 'denied' });
    this.report(o, ExecType.Rejected, `D-${e.clientOrderId}`, [
      [Tag.OrdRejReason, ordRejReasonOfDenial(e.code)],
      [Tag.Text, `denied by risk: ${e.code}: ${e.reason}`],
    ]);
  }

  /** An event of the session's strategy from the order-event stream, in sequence, exactly once. */
  onEvent(e: OrderEvent): void {
    const o = this.orders.get(e.clientOrderId);
    if (!o) return;
    const applied = o.order.apply(e);
    const seq = e.seq ?? 0;
    const cancelOf = o.cancelClOrdId;
    const why = e.type === 'OrderCanceled' ? (o.cancelReason ?? e.reason) : '';
    const replaceOf = o.replaceClOrdId;
    const prevClOrdId = o.clOrdId;
    // A replace's outcome ends it, reported or not (a restart replays these to rebuild the ClOrdIDs).
    if (e.type === 'OrderReplaced') {
      o.replaceClOrdId = null;
      if (replaceOf !== null) o.clOrdId = replaceOf;
    }
    if (e.type === 'OrderReplaceRejected' && replaceOf !== null && (seq <= this.reported || !applied.ok)) {
      o.replaceClOrdId = null;
      this.orders.delete(replaceOf);
    }
    if (e.type === 'OrderPendingCancel') o.cancelReason = e.reason;
    // A cancel's outcome ends it, reported or not.
    if (e.type === 'OrderCanceled' || e.type === 'OrderCancelRejected') {
      o.cancelClOrdId = null;
      delete o.cancelReason;
    }
    // A restart replays the stream from the start to rebuild the orders; only what was not reported yet goes out.
    if (seq <= this.reported || !applied.ok) return;
    const note: Note = { event: seq };
    const id = `${this.d.strategyId}:${seq}`;
    switch (e.type) {
      case 'OrderSubmitted':
        return this.report(o, ExecType.PendingNew, id, [], note);
      case 'OrderAccepted':
        return this.report(o, ExecType.New, id, [], note);
      case 'OrderFilled':
        return this.report(o, ExecType.Trade, `F-${e.execId}`, [[Tag.LastQty, e.lastQty], [Tag.LastPx, e.lastPx]], note);
      case 'OrderPendingCancel':
        return this.report(o, ExecType.PendingCancel, id, [], note);
      case 'OrderCanceled':
        // Our cancel: ClOrdID is the cancel's; anything else (a kill-switch, risk) says why in Text.
        return this.report(o, ExecType.Canceled, id, cancelOf === null ? [[Tag.Text, why]] : [], note, cancelOf);
      case 'OrderCancelRejected':
        return this.cancelReject(cancelOf ?? e.clientOrderId, e.clientOrderId, o.order.orderId, ORD_STATUS[o.order.status], cxlRejReasonOf(e.code), `${e.code}: ${e.reason}`, note);
      case 'OrderRejected':
        return this.report(o, ExecType.Rejected, id, [[Tag.OrdRejReason, OrdRejReason.BrokerOption], [Tag.Text, `rejected by the venue: ${e.code}: ${e.reason}`]], note);
      case 'OrderDenied':
        return this.report(o, ExecType.Rejected, id, [[Tag.OrdRejReason, ordRejReasonOfDenial(e.code)], [Tag.Text, `denied: ${e.code}: ${e.reason}`]], note);
      case 'OrderExpired':
        return this.report(o, ExecType.Expired, id, [], note);
      case 'OrderPendingReplace':
        return this.report(o, ExecType.PendingReplace, id, [], note, null, { clOrdId: replaceOf ?? o.clOrdId, orig: prevClOrdId, status: 'E' });
      case 'OrderReplaced':
        return this.report(o, ExecType.Replaced, id, [], note, null, { clOrdId: o.clOrdId, orig: prevClOrdId });
      case 'OrderReplaceRejected':
        return this.endReplace(o, false, e.code === 'TOO_LATE_TO_REPLACE' ? CxlRejReason.TooLateToCancel : e.code === 'UNKNOWN_ORDER' ? CxlRejReason.UnknownOrder : e.code === 'CANCEL_OR_REPLACE_PENDING' ? CxlRejReason.PendingCancelOrReplace : CxlRejReason.Other, `${e.code}: ${e.reason}`, note);
    }
  }

  private report(o: DeskOrder, execType: string, execId: string, extra: Body, note?: Note, cancelOf = o.cancelClOrdId, ids?: { clOrdId: string; orig: string; status?: string }): void {
    const ord = o.order;
    const inCancel = cancelOf !== null && (execType === ExecType.PendingCancel || execType === ExecType.Canceled);
    // Reports carry the ClOrdID the order goes by; a cancel's or a replace's carry theirs, with OrigClOrdID.
    const cl = ids?.clOrdId ?? (inCancel ? cancelOf : o.clOrdId);
    const orig = ids?.orig ?? (inCancel ? o.clOrdId : null);
    const body: Body = [
      [Tag.OrderID, ord.orderId ?? 'NONE'],
      [Tag.ClOrdID, cl],
      ...(orig !== null ? ([[Tag.OrigClOrdID, orig]] as Body) : []),
      [Tag.ExecID, execId],
      [Tag.ExecType, execType],
      [Tag.OrdStatus, ids?.status ?? ORD_STATUS[ord.status]],
      [Tag.Symbol, ord.symbol],
      [Tag.Side, FIX_SIDE[ord.side]],
      [Tag.OrderQty, ord.quantity],
      [Tag.OrdType, ord.orderType === 'limit' ? '2' : '1'],
      ...(ord.price !== null ? ([[Tag.Price, px(ord.price)]] as Body) : []),
      [Tag.TimeInForce, ord.timeInForce === 'ioc' ? '3' : '1'],
      [Tag.LeavesQty, ord.leavesQty],
      [Tag.CumQty, ord.cumQty],
      [Tag.AvgPx, ord.avgPx ?? 0],
      [Tag.TransactTime, fixNow()],
      ...extra,
    ];
    this.session?.sendApp(MsgType.ExecutionReport, body, note);
    this.d.metrics.reports.inc({ exec_type: execType });
  }
}

const fixNow = (): string => fixTime(Date.now());
