//! Stable codes for ITCH messages the replay refuses. Part of the binding ABI: never renumber, only append.

#[repr(u8)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ItchCode {
    /// The message type byte is not one ITCH 5.0 defines.
    UnknownMessageType = 1,
    /// The length prefix disagrees with the size ITCH 5.0 gives the message type.
    LengthMismatch = 2,
    /// The file ends inside a message (or inside its length prefix).
    Truncated = 3,
    /// An execute, cancel, delete or replace names an order that is not on the book.
    UnknownOrder = 4,
    /// An add names an order reference that is already on the book.
    DuplicateOrder = 5,
    /// An execution or cancel removes more shares than the order has open.
    ExceedsOpen = 6,
    /// A price is not on the instrument's tick grid (or finer than the instrument's decimals).
    OffTick = 7,
    /// An add or replace with zero shares.
    ZeroShares = 8,
    /// A buy/sell indicator that is neither `B` nor `S`.
    BadSide = 9,
    /// An order price of zero.
    NonPositivePrice = 10,
}

impl ItchCode {
    pub const ALL: [ItchCode; 10] = [
        ItchCode::UnknownMessageType,
        ItchCode::LengthMismatch,
        ItchCode::Truncated,
        ItchCode::UnknownOrder,
        ItchCode::DuplicateOrder,
        ItchCode::ExceedsOpen,
        ItchCode::OffTick,
        ItchCode::ZeroShares,
        ItchCode::BadSide,
        ItchCode::NonPositivePrice,
    ];

    pub const fn code(self) -> u8 {
        self as u8
    }

    pub const fn name(self) -> &'static str {
        match self {
            ItchCode::UnknownMessageType => "UNKNOWN_MESSAGE_TYPE",
            ItchCode::LengthMismatch => "LENGTH_MISMATCH",
            ItchCode::Truncated => "TRUNCATED",
            ItchCode::UnknownOrder => "UNKNOWN_ORDER",
            ItchCode::DuplicateOrder => "DUPLICATE_ORDER",
            ItchCode::ExceedsOpen => "EXCEEDS_OPEN",
            ItchCode::OffTick => "OFF_TICK",
            ItchCode::ZeroShares => "ZERO_SHARES",
            ItchCode::BadSide => "BAD_SIDE",
            ItchCode::NonPositivePrice => "NON_POSITIVE_PRICE",
        }
    }
}
