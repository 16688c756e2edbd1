//! Execution events produced by the matching engine: one record per order state change, so each
//! order's history (accepted, fills, cancel/expiry) reads on its own.

use crate::reject::RejectCode;

/// f64 slots per event record: `[kind, book, orderId, otherId, price, qty, leaves, detail]`.
pub const EVENT_STRIDE: usize = 8;

#[repr(u8)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventKind {
    Accepted = 1,
    Rejected = 2,
    Filled = 3,
    Canceled = 4,
    Expired = 5,
    /// Open quantity reduced in place (time priority kept).
    Reduced = 6,
}

/// `detail` of a fill: which side of the trade this order was.
pub const LIQUIDITY_MAKER: u8 = 1;
pub const LIQUIDITY_TAKER: u8 = 2;

/// `detail` of a cancel: why it was canceled.
pub const CANCEL_USER: u8 = 1;
pub const CANCEL_SELF_TRADE: u8 = 2;
pub const CANCEL_ALL: u8 = 3;

/// `detail` of an expiry: the unfilled remainder of an IOC or market order.
pub const EXPIRE_UNFILLED: u8 = 1;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExecEvent {
    pub kind: EventKind,
    pub book: u32,
    pub order_id: u64,
    /// Counterparty order id for fills, 0 otherwise.
    pub other_id: u64,
    /// Fill price; the order's limit price for accepts/cancels (0 for market orders).
    pub price: i64,
    /// Fill quantity, or the quantity accepted / canceled / expired.
    pub qty: i64,
    /// Open quantity left on the order after this event.
    pub leaves: i64,
    /// Liquidity flag, cancel reason or reject code depending on `kind`.
    pub detail: u8,
}

impl ExecEvent {
    pub fn rejected(book: u32, order_id: u64, code: RejectCode) -> ExecEvent {
        ExecEvent {
            kind: EventKind::Rejected,
            book,
            order_id,
            other_id: 0,
            price: 0,
            qty: 0,
            leaves: 0,
            detail: code.code(),
        }
    }

    #[inline]
    pub fn write_record(&self, out: &mut Vec<f64>) {
        out.extend_from_slice(&[
            self.kind as u8 as f64,
            self.book as f64,
            self.order_id as f64,
            self.other_id as f64,
            self.price as f64,
            self.qty as f64,
            self.leaves as f64,
            self.detail as f64,
        ]);
    }
}

/// Where the engine writes events; generic so the binding writes packed records with no
/// intermediate allocation while tests collect structs.
pub trait EventSink {
    fn push(&mut self, e: ExecEvent);
}

impl EventSink for Vec<ExecEvent> {
    #[inline]
    fn push(&mut self, e: ExecEvent) {
        Vec::push(self, e);
    }
}

/// Packs events straight into the f64 record layout.
#[derive(Default, Debug)]
pub struct RecordSink {
    pub records: Vec<f64>,
}

impl EventSink for RecordSink {
    #[inline]
    fn push(&mut self, e: ExecEvent) {
        e.write_record(&mut self.records);
    }
}
