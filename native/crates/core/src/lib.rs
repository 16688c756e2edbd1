//! Pure-Rust core of the trading platform: fixed-point prices, an aggregated L2 book for market data,
//! a price-time priority L3 matching engine for the exchange simulator, and European option pricing
//! (BSM / Black-76 greeks, implied vol), and NASDAQ ITCH 5.0 replay into order-level books. No FFI here; the napi
//! crate is a thin wrapper so this crate stays testable with plain `cargo test`.

pub mod fixed;
pub mod itch;
pub mod l2_book;
pub mod l2_book_set;
pub mod matching;
pub mod options;
pub mod reject;

pub use fixed::{Grid, Side, MAX_EXACT};
pub use l2_book::{CrossPolicy, L2Book, Quote};
pub use l2_book_set::{L2BookSet, RecordReject, L2_UPDATE_STRIDE};
pub use matching::engine::{MatchingEngine, COMMAND_STRIDE, OP_CANCEL, OP_CANCEL_ALL, OP_NEW, OP_REDUCE};
pub use matching::event::{EventKind, EventSink, ExecEvent, RecordSink, EVENT_STRIDE};
pub use matching::order_book::{NewOrder, OrderBook, OrderKind, RestingOrder, StpMode};
pub use reject::RejectCode;
pub use options::{greeks_batch, implied_vol_batch, OptionCode, GREEKS_STRIDE, IV_INPUT_STRIDE, OPTION_INPUT_STRIDE};
