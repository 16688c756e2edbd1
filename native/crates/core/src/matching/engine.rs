//! Multi-instrument matching engine behind one batched entry point. Commands arrive as packed f64
//! records; every command yields at least one event, so a caller can always pair them up.

use super::event::*;
use super::order_book::{NewOrder, OrderBook, OrderKind, StpMode};
use crate::fixed::{Grid, Side, MAX_EXACT};
use crate::reject::RejectCode;

/// f64 slots per command record: `[op, book, orderId, side, kind, price, qty, owner]`.
pub const COMMAND_STRIDE: usize = 8;

pub const OP_NEW: f64 = 1.0;
pub const OP_CANCEL: f64 = 2.0;
/// Cancel all resting orders of a book (`book = -1`: every book), optionally only one owner's.
pub const OP_CANCEL_ALL: f64 = 3.0;
/// Reduce a resting order to `qty` open, keeping its place in the queue.
pub const OP_REDUCE: f64 = 4.0;

#[derive(Default, Clone, Debug)]
pub struct MatchingEngine {
    books: Vec<OrderBook>,
    commands: u64,
}

impl MatchingEngine {
    pub fn new() -> MatchingEngine {
        MatchingEngine::default()
    }

    pub fn add_book(&mut self, grid: Grid, stp: StpMode) -> u32 {
        let id = self.books.len() as u32;
        self.books.push(OrderBook::new(id, grid, stp));
        id
    }

    pub fn book(&self, i: u32) -> Option<&OrderBook> {
        self.books.get(i as usize)
    }

    pub fn books(&self) -> &[OrderBook] {
        &self.books
    }

    pub fn commands(&self) -> u64 {
        self.commands
    }

    /// Process a packed batch of commands in order. Returns the number of whole records read.
    pub fn process_batch<S: EventSink>(&mut self, records: &[f64], sink: &mut S) -> u32 {
        let mut n = 0u32;
        for r in records.chunks_exact(COMMAND_STRIDE) {
            self.process_one(r, sink);
            n += 1;
        }
        if !records.len().is_multiple_of(COMMAND_STRIDE) {
            sink.push(ExecEvent::rejected(u32::MAX, 0, RejectCode::TruncatedRecord));
        }
        self.commands += n as u64;
        n
    }

    fn process_one<S: EventSink>(&mut self, r: &[f64], sink: &mut S) {
        let op = r[0];
        if op == OP_CANCEL_ALL {
            let owner = match id_field(r[7]) {
                Ok(0) => None,
                Ok(o) => Some(o),
                Err(code) => return sink.push(ExecEvent::rejected(u32::MAX, 0, code)),
            };
            if r[1] == -1.0 {
                for b in &mut self.books {
                    b.cancel_all(owner, sink);
                }
            } else {
                match self.book_index(r[1]) {
                    Some(i) => {
                        self.books[i].cancel_all(owner, sink);
                    }
                    None => sink.push(ExecEvent::rejected(u32::MAX, 0, RejectCode::UnknownBook)),
                }
            }
            return;
        }
        let order_id = match id_field(r[2]) {
            Ok(0) | Err(_) => return sink.push(ExecEvent::rejected(u32::MAX, 0, RejectCode::InvalidOrderId)),
            Ok(id) => id,
        };
        let Some(bi) = self.book_index(r[1]) else {
            return sink.push(ExecEvent::rejected(u32::MAX, order_id, RejectCode::UnknownBook));
        };
        let book = &mut self.books[bi];
        if op == OP_CANCEL {
            book.cancel(order_id, sink);
        } else if op == OP_REDUCE {
            match book.grid().qty(r[6]) {
                Ok(q) => book.reduce(order_id, q, sink),
                Err(code) => sink.push(ExecEvent::rejected(bi as u32, order_id, code)),
            }
        } else if op == OP_NEW {
            match decode_new(book.grid(), order_id, r) {
                Ok(o) => book.submit(o, sink),
                Err(code) => sink.push(ExecEvent::rejected(bi as u32, order_id, code)),
            }
        } else {
            sink.push(ExecEvent::rejected(bi as u32, order_id, RejectCode::InvalidOp));
        }
    }

    fn book_index(&self, v: f64) -> Option<usize> {
        (v >= 0.0 && v.fract() == 0.0 && (v as usize) < self.books.len()).then_some(v as usize)
    }
}

fn id_field(v: f64) -> Result<u64, RejectCode> {
    if (0.0..MAX_EXACT).contains(&v) && v.fract() == 0.0 {
        Ok(v as u64)
    } else {
        Err(RejectCode::InvalidOrderId)
    }
}

fn decode_new(grid: Grid, id: u64, r: &[f64]) -> Result<NewOrder, RejectCode> {
    let side = Side::from_f64(r[3])?;
    let kind = OrderKind::from_f64(r[4])?;
    let price = if kind == OrderKind::Market { 0 } else { grid.price(r[5])? };
    let qty = grid.order_qty(r[6])?;
    let owner = id_field(r[7])?;
    Ok(NewOrder { id, owner, side, kind, price, qty })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batch_decodes_commands_and_reports_bad_records() {
        let mut e = MatchingEngine::new();
        e.add_book(Grid::new(5, 1).unwrap(), StpMode::None);
        let mut ev: Vec<ExecEvent> = Vec::new();
        let batch = [
            OP_NEW, 0.0, 1.0, 1.0, 0.0, 100.0, 5.0, 0.0, // sell 5 @100
            OP_NEW, 0.0, 2.0, 0.0, 0.0, 101.0, 5.0, 0.0, // off tick
            OP_NEW, 0.0, 3.0, 0.0, 9.0, 100.0, 5.0, 0.0, // bad kind
            OP_NEW, 0.0, 4.0, 0.0, 0.0, 100.0, 0.0, 0.0, // zero qty
            OP_NEW, 3.0, 5.0, 0.0, 0.0, 100.0, 1.0, 0.0, // unknown book
            OP_NEW, 0.0, 0.5, 0.0, 0.0, 100.0, 1.0, 0.0, // fractional id
            9.0, 0.0, 6.0, 0.0, 0.0, 100.0, 1.0, 0.0, // bad op
            OP_NEW, 0.0, 7.0, 0.0, 2.0, f64::NAN, 2.0, 0.0, // market buy 2, price ignored
            OP_CANCEL, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, // cancel rest of 1
        ];
        assert_eq!(e.process_batch(&batch, &mut ev), 9);
        let summary: Vec<_> = ev.iter().map(|x| (x.kind, x.order_id, x.detail)).collect();
        assert_eq!(
            summary,
            vec![
                (EventKind::Accepted, 1, 0),
                (EventKind::Rejected, 2, RejectCode::PriceOffTick.code()),
                (EventKind::Rejected, 3, RejectCode::InvalidOrderType.code()),
                (EventKind::Rejected, 4, RejectCode::QtyNotPositive.code()),
                (EventKind::Rejected, 5, RejectCode::UnknownBook.code()),
                (EventKind::Rejected, 0, RejectCode::InvalidOrderId.code()),
                (EventKind::Rejected, 6, RejectCode::InvalidOp.code()),
                (EventKind::Accepted, 7, 0),
                (EventKind::Filled, 1, LIQUIDITY_MAKER),
                (EventKind::Filled, 7, LIQUIDITY_TAKER),
                (EventKind::Canceled, 1, CANCEL_USER),
            ]
        );
        assert_eq!(ev.last().unwrap().qty, 3);
    }

    #[test]
    fn cancel_all_across_books() {
        let mut e = MatchingEngine::new();
        e.add_book(Grid::new(1, 1).unwrap(), StpMode::None);
        e.add_book(Grid::new(1, 1).unwrap(), StpMode::None);
        let mut ev: Vec<ExecEvent> = Vec::new();
        let batch = [
            OP_NEW, 0.0, 1.0, 0.0, 0.0, 100.0, 1.0, 4.0, //
            OP_NEW, 1.0, 1.0, 0.0, 0.0, 100.0, 1.0, 4.0, //
            OP_NEW, 1.0, 2.0, 0.0, 0.0, 100.0, 1.0, 5.0, //
            OP_CANCEL_ALL, -1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 4.0,
        ];
        e.process_batch(&batch, &mut ev);
        let canceled: Vec<_> = ev.iter().filter(|x| x.kind == EventKind::Canceled).map(|x| (x.book, x.order_id)).collect();
        assert_eq!(canceled, vec![(0, 1), (1, 1)]);
        assert_eq!(e.book(1).unwrap().resting_count(), 1);
    }
}
