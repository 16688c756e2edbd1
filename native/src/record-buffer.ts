/**
 * A growable Float64Array of fixed-stride records. Batches are built in place and handed to the core
 * as one subarray view: no per-record allocation, no copy at the boundary.
 */
export class RecordBuffer {
  protected buf: Float64Array;
  protected len = 0;

  constructor(
    readonly stride: number,
    initialRecords = 1024,
  ) {
    this.buf = new Float64Array(stride * Math.max(1, initialRecords));
  }

  /** Number of records written since the last reset. */
  get count(): number {
    return this.len / this.stride;
  }

  /** View of the records written so far (valid until the next write that grows the buffer). */
  view(): Float64Array {
    return this.buf.subarray(0, this.len);
  }

  reset(): void {
    this.len = 0;
  }

  /** Reserve one record and return its offset. */
  protected slot(): number {
    if (this.len + this.stride > this.buf.length) {
      const next = new Float64Array(this.buf.length * 2);
      next.set(this.buf.subarray(0, this.len));
      this.buf = next;
    }
    const at = this.len;
    this.len += this.stride;
    return at;
  }
}
