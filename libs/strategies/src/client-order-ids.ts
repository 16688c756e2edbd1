/**
 * Unique client order ids: `<strategy>-<run>-<n>`. The run part (start time, base 36) keeps ids unique
 * across restarts, so risk's duplicate check and the ledger's idempotency never confuse two orders.
 */
export class ClientOrderIds {
  private n = 0;
  private readonly prefix: string;

  constructor(strategyId: string, run = Date.now().toString(36)) {
    this.prefix = `${strategyId}-${run}-`;
    if (this.prefix.length > 52) throw new RangeError(`strategy id ${strategyId} is too long for client order ids (max 64 chars)`);
  }

  next(): string {
    return `${this.prefix}${++this.n}`;
  }
}
