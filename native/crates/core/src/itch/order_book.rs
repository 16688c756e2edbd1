//! The order-level book ITCH describes: every displayed order by reference, and per stock the price
//! levels they add up to. Order messages name only the reference, so one map serves all stocks.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use super::code::ItchCode;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ItchOrder {
    pub book: u32,
    pub buy: bool,
    /// In instrument price units.
    pub price: u64,
    pub shares: u64,
}

/// One price level after a change: its new total (0 = gone).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LevelChange {
    pub book: u32,
    pub buy: bool,
    pub price: u64,
    pub total: u64,
}

#[derive(Default, Clone, Debug)]
struct Levels {
    bids: BTreeMap<u64, u64>,
    asks: BTreeMap<u64, u64>,
}

#[derive(Clone, Debug)]
pub struct ItchBook {
    orders: FxHashMap<u64, ItchOrder>,
    books: Vec<Levels>,
}

impl Default for ItchBook {
    fn default() -> Self {
        // A busy stock keeps tens of thousands of orders open: start big rather than rehash early.
        ItchBook { orders: FxHashMap::with_capacity_and_hasher(1 << 16, Default::default()), books: Vec::new() }
    }
}

impl ItchBook {
    pub fn add_book(&mut self) -> u32 {
        self.books.push(Levels::default());
        (self.books.len() - 1) as u32
    }

    pub fn order(&self, reference: u64) -> Option<&ItchOrder> {
        self.orders.get(&reference)
    }

    pub fn open_orders(&self) -> usize {
        self.orders.len()
    }

    fn level(&mut self, book: u32, buy: bool, price: u64, delta: i64) -> LevelChange {
        let l = &mut self.books[book as usize];
        let side = if buy { &mut l.bids } else { &mut l.asks };
        let v = side.entry(price).or_insert(0);
        *v = (*v as i64 + delta).max(0) as u64;
        let total = *v;
        if total == 0 {
            side.remove(&price);
        }
        LevelChange { book, buy, price, total }
    }

    pub fn add(&mut self, reference: u64, order: ItchOrder) -> Result<LevelChange, ItchCode> {
        if order.shares == 0 {
            return Err(ItchCode::ZeroShares);
        }
        if self.orders.contains_key(&reference) {
            return Err(ItchCode::DuplicateOrder);
        }
        self.orders.insert(reference, order);
        Ok(self.level(order.book, order.buy, order.price, order.shares as i64))
    }

    /// Take `shares` off an order (an execution or a partial cancel); the order leaves at zero.
    pub fn reduce(&mut self, reference: u64, shares: u64) -> Result<(ItchOrder, LevelChange), ItchCode> {
        let o = self.orders.get_mut(&reference).ok_or(ItchCode::UnknownOrder)?;
        if shares > o.shares {
            return Err(ItchCode::ExceedsOpen);
        }
        o.shares -= shares;
        let before = *o;
        if o.shares == 0 {
            self.orders.remove(&reference);
        }
        Ok((before, self.level(before.book, before.buy, before.price, -(shares as i64))))
    }

    pub fn delete(&mut self, reference: u64) -> Result<(ItchOrder, LevelChange), ItchCode> {
        let o = self.orders.remove(&reference).ok_or(ItchCode::UnknownOrder)?;
        Ok((o, self.level(o.book, o.buy, o.price, -(o.shares as i64))))
    }

    /// A replace: the old order leaves, a new one with the same side and book arrives (time priority lost).
    pub fn replace(&mut self, old: u64, new: u64, shares: u64, price: u64) -> Result<(LevelChange, LevelChange), ItchCode> {
        let o = *self.orders.get(&old).ok_or(ItchCode::UnknownOrder)?;
        if shares == 0 {
            return Err(ItchCode::ZeroShares);
        }
        if new != old && self.orders.contains_key(&new) {
            return Err(ItchCode::DuplicateOrder);
        }
        let (_, gone) = self.delete(old)?;
        let came = self.add(new, ItchOrder { shares, price, ..o })?;
        Ok((gone, came))
    }

    /// Best-first levels of one side: `(price, total shares)`.
    pub fn top(&self, book: u32, buy: bool, depth: usize) -> Vec<(u64, u64)> {
        let Some(l) = self.books.get(book as usize) else { return Vec::new() };
        if buy {
            l.bids.iter().rev().take(depth).map(|(p, q)| (*p, *q)).collect()
        } else {
            l.asks.iter().take(depth).map(|(p, q)| (*p, *q)).collect()
        }
    }

    pub fn depth(&self, book: u32, buy: bool) -> usize {
        self.books.get(book as usize).map_or(0, |l| if buy { l.bids.len() } else { l.asks.len() })
    }
}
