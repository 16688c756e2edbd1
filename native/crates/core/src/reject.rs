//! Stable reject codes for everything the core refuses. The numbers are part of the binding ABI and of
//! `docs/native-core.md`: never renumber, only append.

#[repr(u8)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RejectCode {
    /// A batch record's side field is not 0 (bid/buy) or 1 (ask/sell).
    InvalidSide = 1,
    /// Price is NaN or infinite.
    PriceNotFinite = 2,
    /// Price is zero or negative.
    PriceNotPositive = 3,
    /// Price is not an integer multiple of the book's tick (in price units).
    PriceOffTick = 4,
    /// Quantity is NaN or infinite.
    QtyNotFinite = 5,
    /// Quantity is negative.
    QtyNegative = 6,
    /// Quantity is not an integer multiple of the book's lot (in quantity units).
    QtyOffLot = 7,
    /// A value is above 2^53 and cannot be carried exactly in an f64 record.
    ValueOutOfRange = 8,
    /// The record names a book index that was never added.
    UnknownBook = 9,
    /// An order quantity is zero (orders must be strictly positive; L2 levels may be zero = delete).
    QtyNotPositive = 10,
    /// An order id is already resting in this book.
    DuplicateOrderId = 11,
    /// A cancel names an order that is not resting (never existed, filled or already canceled).
    UnknownOrderId = 12,
    /// A post-only order would have taken liquidity on arrival.
    PostOnlyWouldCross = 13,
    /// The order type / time-in-force field is not a known combination.
    InvalidOrderType = 14,
    /// The record's op field is not a known command.
    InvalidOp = 15,
    /// An order id is not a positive integer below 2^53.
    InvalidOrderId = 16,
    /// The batch length is not a multiple of the record stride; the tail was ignored.
    TruncatedRecord = 17,
    /// A reduce asked for a quantity that is not below the order's open quantity.
    NotAReduction = 18,
}

impl RejectCode {
    pub const fn code(self) -> u8 {
        self as u8
    }

    pub const fn name(self) -> &'static str {
        match self {
            RejectCode::InvalidSide => "INVALID_SIDE",
            RejectCode::PriceNotFinite => "PRICE_NOT_FINITE",
            RejectCode::PriceNotPositive => "PRICE_NOT_POSITIVE",
            RejectCode::PriceOffTick => "PRICE_OFF_TICK",
            RejectCode::QtyNotFinite => "QTY_NOT_FINITE",
            RejectCode::QtyNegative => "QTY_NEGATIVE",
            RejectCode::QtyOffLot => "QTY_OFF_LOT",
            RejectCode::ValueOutOfRange => "VALUE_OUT_OF_RANGE",
            RejectCode::UnknownBook => "UNKNOWN_BOOK",
            RejectCode::QtyNotPositive => "QTY_NOT_POSITIVE",
            RejectCode::DuplicateOrderId => "DUPLICATE_ORDER_ID",
            RejectCode::UnknownOrderId => "UNKNOWN_ORDER_ID",
            RejectCode::PostOnlyWouldCross => "POST_ONLY_WOULD_CROSS",
            RejectCode::InvalidOrderType => "INVALID_ORDER_TYPE",
            RejectCode::InvalidOp => "INVALID_OP",
            RejectCode::InvalidOrderId => "INVALID_ORDER_ID",
            RejectCode::TruncatedRecord => "TRUNCATED_RECORD",
            RejectCode::NotAReduction => "NOT_A_REDUCTION",
        }
    }

    pub const ALL: [RejectCode; 18] = [
        RejectCode::InvalidSide,
        RejectCode::PriceNotFinite,
        RejectCode::PriceNotPositive,
        RejectCode::PriceOffTick,
        RejectCode::QtyNotFinite,
        RejectCode::QtyNegative,
        RejectCode::QtyOffLot,
        RejectCode::ValueOutOfRange,
        RejectCode::UnknownBook,
        RejectCode::QtyNotPositive,
        RejectCode::DuplicateOrderId,
        RejectCode::UnknownOrderId,
        RejectCode::PostOnlyWouldCross,
        RejectCode::InvalidOrderType,
        RejectCode::InvalidOp,
        RejectCode::InvalidOrderId,
        RejectCode::TruncatedRecord,
        RejectCode::NotAReduction,
    ];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_dense_and_unique() {
        for (i, c) in RejectCode::ALL.iter().enumerate() {
            assert_eq!(c.code() as usize, i + 1, "{}", c.name());
        }
    }
}
