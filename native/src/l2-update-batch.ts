import { L2_UPDATE_STRIDE, type Side } from './layout.js';
import { RecordBuffer } from './record-buffer.js';

/** Builder for `L2BookSet.apply` batches: `[book, side, price, qty]` in integer units. */
export class L2UpdateBatch extends RecordBuffer {
  constructor(initialRecords = 1024) {
    super(L2_UPDATE_STRIDE, initialRecords);
  }

  /** `qty = 0` deletes the level. */
  push(book: number, side: Side, price: number, qty: number): void {
    const at = this.slot();
    const b = this.buf;
    b[at] = book;
    b[at + 1] = side;
    b[at + 2] = price;
    b[at + 3] = qty;
  }
}
