import { CancelRejectCode, DenyCode, type OrderStatus } from '@hft/messages';

// FIX 4.4 values the gateway sends, and how our codes map onto them (one table each, used by the desk).

/** OrdStatus (39) of each lifecycle status. */
export const ORD_STATUS: Record<OrderStatus, string> = {
  PendingNew: 'A',
  New: '0',
  PartiallyFilled: '1',
  Filled: '2',
  PendingCancel: '6',
  Canceled: '4',
  Rejected: '8',
  Denied: '8',
  Expired: 'C',
};

/** ExecType (150). */
export const ExecType = { New: '0', Canceled: '4', Replaced: '5', PendingCancel: '6', Rejected: '8', PendingNew: 'A', Expired: 'C', PendingReplace: 'E', Trade: 'F', OrderStatus: 'I' } as const;

/** OrdRejReason (103). */
export const OrdRejReason = { BrokerOption: 0, UnknownSymbol: 1, ExchangeClosed: 2, ExceedsLimit: 3, UnknownOrder: 5, DuplicateOrder: 6, UnsupportedCharacteristic: 11, IncorrectQuantity: 13, Other: 99 } as const;

/** Risk's denial codes as OrdRejReason: limits are "exceeds limit", the rest named in Text. */
export function ordRejReasonOfDenial(code: string): number {
  switch (code) {
    case DenyCode.UnknownInstrument:
      return OrdRejReason.UnknownSymbol;
    case DenyCode.DuplicateClientOrderId:
      return OrdRejReason.DuplicateOrder;
    case DenyCode.KillSwitch:
    case DenyCode.RestrictedSymbol:
      return OrdRejReason.BrokerOption;
    case DenyCode.MaxOrderQty:
    case DenyCode.MaxNotional:
    case DenyCode.MaxPosition:
    case DenyCode.DailyLoss:
    case DenyCode.PriceBand:
    case DenyCode.ReferencePrice:
    case DenyCode.MessageRate:
    case DenyCode.MaxDelta:
    case DenyCode.MaxGamma:
    case DenyCode.MaxVega:
      return OrdRejReason.ExceedsLimit;
    default:
      return OrdRejReason.Other;
  }
}

/** CxlRejReason (102). */
export const CxlRejReason = { TooLateToCancel: 0, UnknownOrder: 1, PendingCancelOrReplace: 3, Other: 99 } as const;

export function cxlRejReasonOf(code: string): number {
  return code === CancelRejectCode.TooLateToCancel ? CxlRejReason.TooLateToCancel : code === CancelRejectCode.UnknownOrder ? CxlRejReason.UnknownOrder : CxlRejReason.Other;
}

/** Side (54) <-> ours. */
export const SIDE_OF_FIX: Record<string, 'buy' | 'sell'> = { '1': 'buy', '2': 'sell' };
export const FIX_SIDE = { buy: '1', sell: '2' } as const;
