//! ITCH 5.0 replay: bytes in (any chunking), records out. Messages for stocks nobody asked for are
//! skipped after framing; the rest update the order-level book and leave as level totals and trades,
//! the same shape every other replay format produces. A refused message is a record too (code,
//! byte offset, message number); the stream resynchronises on the next length prefix.

use rustc_hash::FxHashMap;

use super::code::ItchCode;
use super::order_book::{ItchBook, ItchOrder, LevelChange};
use super::wire::{decode, pad_stock, Body, FrameError, Message};

/// f64 slots per output record: `[kind, book, tsNs, price, qty, flags, messageNo, offset]`.
pub const ITCH_RECORD_STRIDE: usize = 8;
/// The most records one message produces (an execution: its level and its trade).
pub const ITCH_MAX_RECORDS_PER_MESSAGE: usize = 2;

/// Record kinds. 1-3 are the tick kinds of the wire (trade, bid level, ask level).
pub mod kind {
    pub const TRADE: f64 = 1.0;
    pub const BID: f64 = 2.0;
    pub const ASK: f64 = 3.0;
    /// price = ItchCode, qty = a detail (the order reference, or the type byte).
    pub const REFUSED: f64 = 16.0;
    /// price = the trading state byte (H halted, P paused, Q quotation only, T trading).
    pub const TRADING_STATE: f64 = 17.0;
    /// price = the system event byte (O, S, Q, M, E, C); book = -1.
    pub const SYSTEM_EVENT: f64 = 18.0;
    /// A trade published earlier was broken: its price, qty and aggressor.
    pub const BROKEN_TRADE: f64 = 19.0;
}

/// `flags` of a level record: more level records of the same message follow (a snapshot waits for them).
pub const FLAG_MORE: f64 = 1.0;
/// `flags` of a trade record: the aggressor, as on the wire (0 unknown, 1 buyer, 2 seller).
const BUYER: f64 = 1.0;
const SELLER: f64 = 2.0;
const UNKNOWN: f64 = 0.0;

/** The aggressor of a match against a resting order: the other side. */
#[inline]
fn taker_of(resting_buy: bool) -> f64 {
    if resting_buy {
        SELLER
    } else {
        BUYER
    }
}

#[derive(Clone, Copy, Debug)]
struct Subscription {
    book: u32,
    /// ITCH prices have 4 decimals; the instrument may have fewer.
    divisor: u64,
    tick: u64,
    qty_multiplier: u64,
}

#[derive(Clone, Copy, Debug)]
struct Printed {
    book: u32,
    price: u64,
    qty: u64,
    aggressor: f64,
}

#[derive(Default, Clone, Copy, Debug, PartialEq, Eq)]
pub struct ItchCounts {
    pub messages: u64,
    /// Framed and decoded but about stocks nobody subscribed to.
    pub skipped: u64,
    pub refused: u64,
    pub broken_trades: u64,
}

pub struct ItchReplay {
    pending: Vec<u8>,
    /// Start of the unread part of `pending`, and the file offset of `pending[0]`.
    at: usize,
    base: u64,
    by_stock: FxHashMap<[u8; 8], Subscription>,
    /// Stock locate -> subscription, filled by the stock directory (locates are assigned per day).
    by_locate: Vec<Option<Subscription>>,
    book: ItchBook,
    /// Trades published, by match number: ITCH assigns them in increasing order, so a sorted Vec
    /// (appended, binary-searched on the rare broken trade) costs far less than a hash map per print.
    printed: Vec<(u64, Printed)>,
    counts: ItchCounts,
    ended: bool,
}

impl Default for ItchReplay {
    fn default() -> Self {
        ItchReplay::new()
    }
}

struct Out<'a> {
    buf: &'a mut [f64],
    n: usize,
    ts: f64,
    msg: f64,
    offset: f64,
}

impl Out<'_> {
    #[inline]
    fn push(&mut self, kind: f64, book: f64, price: f64, qty: f64, flags: f64) {
        let r = &mut self.buf[self.n * ITCH_RECORD_STRIDE..(self.n + 1) * ITCH_RECORD_STRIDE];
        r.copy_from_slice(&[kind, book, self.ts, price, qty, flags, self.msg, self.offset]);
        self.n += 1;
    }

    fn level(&mut self, c: LevelChange, more: bool) {
        let k = if c.buy { kind::BID } else { kind::ASK };
        self.push(k, c.book as f64, c.price as f64, c.total as f64, if more { FLAG_MORE } else { 0.0 });
    }

    fn refuse(&mut self, code: ItchCode, book: f64, detail: f64) {
        self.push(kind::REFUSED, book, code.code() as f64, detail, 0.0);
    }
}

impl ItchReplay {
    pub fn new() -> ItchReplay {
        ItchReplay {
            pending: Vec::with_capacity(1 << 16),
            at: 0,
            base: 0,
            by_stock: FxHashMap::default(),
            by_locate: vec![None; 1 << 16],
            book: ItchBook::default(),
            printed: Vec::new(),
            counts: ItchCounts::default(),
            ended: false,
        }
    }

    /// Follow one stock; returns the book index its records carry. `divisor` = 10^(4 - price decimals).
    pub fn subscribe(&mut self, symbol: &str, divisor: u64, tick: u64, qty_multiplier: u64) -> Option<u32> {
        let stock = pad_stock(symbol)?;
        if divisor == 0 || tick == 0 || qty_multiplier == 0 {
            return None;
        }
        if let Some(s) = self.by_stock.get(&stock) {
            return Some(s.book);
        }
        let book = self.book.add_book();
        self.by_stock.insert(stock, Subscription { book, divisor, tick, qty_multiplier });
        Some(book)
    }

    /// Append the next bytes of the file.
    pub fn push(&mut self, bytes: &[u8]) {
        if self.at > 0 && self.at * 2 >= self.pending.len() {
            self.pending.drain(..self.at);
            self.base += self.at as u64;
            self.at = 0;
        }
        self.pending.extend_from_slice(bytes);
    }

    /// No more bytes will come: a partial message left over is reported by the next `drain`.
    pub fn end(&mut self) {
        self.ended = true;
    }

    pub fn counts(&self) -> ItchCounts {
        self.counts
    }

    pub fn book(&self) -> &ItchBook {
        &self.book
    }

    /// Bytes consumed so far (whole messages).
    pub fn offset(&self) -> u64 {
        self.base + self.at as u64
    }

    /// Decode and apply whole messages while `out` has room; returns the records written. Zero means
    /// every buffered whole message is done: push more bytes (or, after `end`, the file is finished).
    pub fn drain(&mut self, out: &mut [f64]) -> usize {
        let cap = out.len() / ITCH_RECORD_STRIDE;
        let mut o = Out { buf: out, n: 0, ts: 0.0, msg: 0.0, offset: 0.0 };
        while o.n + ITCH_MAX_RECORDS_PER_MESSAGE <= cap {
            let avail = self.pending.len() - self.at;
            if avail < 2 {
                if self.ended && avail > 0 {
                    self.truncated(&mut o);
                }
                break;
            }
            let len = u16::from_be_bytes([self.pending[self.at], self.pending[self.at + 1]]) as usize;
            if avail < 2 + len {
                if self.ended {
                    self.truncated(&mut o);
                }
                break;
            }
            let start = self.at;
            self.at += 2 + len;
            self.counts.messages += 1;
            o.msg = self.counts.messages as f64;
            o.offset = (self.base + start as u64) as f64;
            o.ts = 0.0;
            match decode(&self.pending[start + 2..start + 2 + len]) {
                Ok(m) => self.apply(&m, &mut o),
                Err(FrameError::UnknownType(t)) => {
                    self.counts.refused += 1;
                    o.refuse(ItchCode::UnknownMessageType, -1.0, t as f64);
                }
                Err(FrameError::LengthMismatch { kind, .. }) => {
                    self.counts.refused += 1;
                    o.refuse(ItchCode::LengthMismatch, -1.0, kind as f64);
                }
            }
        }
        o.n
    }

    fn truncated(&mut self, o: &mut Out) {
        let left = self.pending.len() - self.at;
        o.msg = (self.counts.messages + 1) as f64;
        o.offset = self.offset() as f64;
        self.at = self.pending.len();
        self.counts.refused += 1;
        o.refuse(ItchCode::Truncated, -1.0, left as f64);
    }

    fn sub(&self, locate: u16) -> Option<Subscription> {
        self.by_locate[locate as usize]
    }

    /// Price in instrument units, or why not.
    fn price(s: &Subscription, raw: u32) -> Result<u64, ItchCode> {
        let raw = raw as u64;
        if raw == 0 {
            return Err(ItchCode::NonPositivePrice);
        }
        if !raw.is_multiple_of(s.divisor) || !(raw / s.divisor).is_multiple_of(s.tick) {
            return Err(ItchCode::OffTick);
        }
        Ok(raw / s.divisor)
    }

    fn apply(&mut self, m: &Message, o: &mut Out) {
        o.ts = m.timestamp as f64;
        if let Body::SystemEvent { event } = m.body {
            o.push(kind::SYSTEM_EVENT, -1.0, event as f64, 0.0, 0.0);
            return;
        }
        if let Body::StockDirectory { stock } = m.body {
            self.by_locate[m.locate as usize] = self.by_stock.get(&stock).copied();
            return;
        }
        let Some(s) = self.sub(m.locate) else {
            self.counts.skipped += 1;
            return;
        };
        let book = s.book as f64;
        if let Err(code) = self.apply_to(&s, m, o) {
            self.counts.refused += 1;
            let detail = match m.body {
                Body::AddOrder { reference, .. } | Body::Executed { reference, .. } | Body::ExecutedWithPrice { reference, .. } | Body::Cancel { reference, .. } | Body::Delete { reference } => reference as f64,
                Body::Replace { old_reference, .. } => old_reference as f64,
                _ => m.kind as f64,
            };
            o.refuse(code, book, detail);
        }
    }

    fn apply_to(&mut self, s: &Subscription, m: &Message, o: &mut Out) -> Result<(), ItchCode> {
        let book = s.book as f64;
        let q = s.qty_multiplier;
        match m.body {
            Body::TradingAction { state, .. } => o.push(kind::TRADING_STATE, book, state as f64, 0.0, 0.0),
            Body::AddOrder { reference, side, shares, price, .. } => {
                let buy = match side {
                    b'B' => true,
                    b'S' => false,
                    _ => return Err(ItchCode::BadSide),
                };
                let price = Self::price(s, price)?;
                let c = self.book.add(reference, ItchOrder { book: s.book, buy, price, shares: shares as u64 * q })?;
                o.level(c, false);
            }
            Body::Executed { reference, shares, match_number } => {
                // The trade first, then the level it took from: a snapshot follows the last level record.
                let (ord, c) = self.book.reduce(reference, shares as u64 * q)?;
                self.print(o, match_number, Printed { book: s.book, price: ord.price, qty: shares as u64 * q, aggressor: taker_of(ord.buy) });
                o.level(c, false);
            }
            Body::ExecutedWithPrice { reference, shares, match_number, printable, price } => {
                // The execution price may differ from the order's (a cross); check it before touching the book.
                let px = if printable { Some(Self::price(s, price)?) } else { None };
                let (ord, c) = self.book.reduce(reference, shares as u64 * q)?;
                // Non-printable executions are reported again in a cross trade: not a print of their own.
                if let Some(px) = px {
                    self.print(o, match_number, Printed { book: s.book, price: px, qty: shares as u64 * q, aggressor: taker_of(ord.buy) });
                }
                o.level(c, false);
            }
            Body::Cancel { reference, shares } => {
                let (_, c) = self.book.reduce(reference, shares as u64 * q)?;
                o.level(c, false);
            }
            Body::Delete { reference } => {
                let (_, c) = self.book.delete(reference)?;
                o.level(c, false);
            }
            Body::Replace { old_reference, new_reference, shares, price } => {
                let price = Self::price(s, price)?;
                let (gone, came) = self.book.replace(old_reference, new_reference, shares as u64 * q, price)?;
                if gone.price == came.price {
                    o.level(came, false);
                } else {
                    o.level(gone, true);
                    o.level(came, false);
                }
            }
            Body::Trade { side, shares, price, match_number, .. } => {
                let px = Self::price(s, price)?;
                let aggressor = match side {
                    b'B' => taker_of(true),
                    b'S' => taker_of(false),
                    _ => UNKNOWN,
                };
                if shares > 0 {
                    self.print(o, match_number, Printed { book: s.book, price: px, qty: shares as u64 * q, aggressor });
                }
            }
            Body::CrossTrade { shares, price, match_number, .. } => {
                // A cross that found no shares still prints its price in ITCH; there is no trade to publish.
                if shares > 0 {
                    let px = Self::price(s, price)?;
                    self.print(o, match_number, Printed { book: s.book, price: px, qty: shares * q, aggressor: UNKNOWN });
                }
            }
            Body::BrokenTrade { match_number } => {
                if let Some(p) = self.take_printed(match_number) {
                    self.counts.broken_trades += 1;
                    o.push(kind::BROKEN_TRADE, p.book as f64, p.price as f64, p.qty as f64, p.aggressor);
                }
            }
            Body::SystemEvent { .. } | Body::StockDirectory { .. } | Body::Other => {}
        }
        Ok(())
    }

    fn take_printed(&mut self, match_number: u64) -> Option<Printed> {
        let i = match self.printed.binary_search_by_key(&match_number, |e| e.0) {
            Ok(i) => i,
            // Out of order somewhere (never seen in NASDAQ files, but not excluded): look from the newest back.
            Err(_) => self.printed.iter().rposition(|e| e.0 == match_number)?,
        };
        Some(self.printed.remove(i).1)
    }

    fn print(&mut self, o: &mut Out, match_number: u64, p: Printed) {
        self.printed.push((match_number, p));
        o.push(kind::TRADE, p.book as f64, p.price as f64, p.qty as f64, p.aggressor);
    }
}
