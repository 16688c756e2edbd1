//! Pure-Rust core of the trading platform: fixed-point prices, an aggregated L2 book for market data
//! and a price-time priority L3 matching engine for the exchange simulator. No FFI here; the napi
//! crate is a thin wrapper so this crate stays testable with plain `cargo test`.

pub mod fixed;
pub mod l2_book;
pub mod l2_book_set;
pub mod matching;
pub mod reject;

pub use fixed::{Grid, Side, MAX_EXACT};
pub use l2_book::{CrossPolicy, L2Book, Quote};
pub use l2_book_set::{L2BookSet, RecordReject, L2_UPDATE_STRIDE};
pub use matching::engine::{MatchingEngine, COMMAND_STRIDE, OP_CANCEL, OP_CANCEL_ALL, OP_NEW, OP_REDUCE};
pub use matching::event::{EventKind, EventSink, ExecEvent, RecordSink, EVENT_STRIDE};
pub use matching::order_book::{NewOrder, OrderBook, OrderKind, RestingOrder, StpMode};
pub use reject::RejectCode;
