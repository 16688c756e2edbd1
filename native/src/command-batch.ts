import { COMMAND_STRIDE, Op, OrderKind, type Side } from './layout.js';
import { RecordBuffer } from './record-buffer.js';

export interface NewOrderFields {
  book: number;
  orderId: number;
  side: Side;
  kind?: OrderKind;
  /** Limit price in integer units (ignored for market orders). */
  price?: number;
  qty: number;
  /** Owner for self-trade prevention; 0 = none. */
  owner?: number;
}

/** Builder for `MatchingEngine.process` batches: `[op, book, orderId, side, kind, price, qty, owner]`. */
export class CommandBatch extends RecordBuffer {
  constructor(initialRecords = 1024) {
    super(COMMAND_STRIDE, initialRecords);
  }

  newOrder(o: NewOrderFields): void {
    this.write(Op.New, o.book, o.orderId, o.side, o.kind ?? OrderKind.LimitGtc, o.price ?? 0, o.qty, o.owner ?? 0);
  }

  cancel(book: number, orderId: number): void {
    this.write(Op.Cancel, book, orderId, 0, 0, 0, 0, 0);
  }

  /** Reduce a resting order to `newLeaves` open, keeping its time priority (0 cancels it). */
  reduce(book: number, orderId: number, newLeaves: number): void {
    this.write(Op.Reduce, book, orderId, 0, 0, 0, newLeaves, 0);
  }

  /** Cancel all resting orders of `book` (or every book with `book = -1`), optionally one owner's. */
  cancelAll(book: number, owner = 0): void {
    this.write(Op.CancelAll, book, 0, 0, 0, 0, 0, owner);
  }

  write(op: number, book: number, orderId: number, side: number, kind: number, price: number, qty: number, owner: number): void {
    const at = this.slot();
    const b = this.buf;
    b[at] = op;
    b[at + 1] = book;
    b[at + 2] = orderId;
    b[at + 3] = side;
    b[at + 4] = kind;
    b[at + 5] = price;
    b[at + 6] = qty;
    b[at + 7] = owner;
  }
}
