//! Price-level aggregated (L2) book for market data. Each side is a Vec sorted so that the best level is
//! at the end: real feeds update near the touch, so inserts and deletes there move few elements.

use crate::fixed::{Grid, Side};

/// What to do when an update would leave the book crossed (best bid >= best ask).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CrossPolicy {
    /// The latest update is the truth: opposite levels it crosses are stale and are removed (counted).
    TrustLatest,
    /// Keep the crossed state visible to the caller (`is_crossed`), e.g. to audit a feed.
    Keep,
}

/// One aggregated level. `rank` is the price for bids and the negated price for asks, so that both
/// sides sort ascending with the best level last and share one code path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Level {
    rank: i64,
    qty: i64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Quote {
    pub price: i64,
    pub qty: i64,
}

#[derive(Clone, Debug)]
pub struct L2Book {
    grid: Grid,
    policy: CrossPolicy,
    bids: Vec<Level>,
    asks: Vec<Level>,
    /// Levels removed because a newer update on the other side crossed them.
    uncrossed_levels: u64,
}

impl L2Book {
    pub fn new(grid: Grid, policy: CrossPolicy) -> L2Book {
        L2Book {
            grid,
            policy,
            bids: Vec::with_capacity(64),
            asks: Vec::with_capacity(64),
            uncrossed_levels: 0,
        }
    }

    pub fn grid(&self) -> Grid {
        self.grid
    }

    /// Set the aggregate quantity at a price level (`qty == 0` deletes the level). Inputs are already
    /// validated integer units (see `Grid`).
    #[inline]
    pub fn set_level(&mut self, side: Side, price: i64, qty: i64) {
        let (levels, rank) = match side {
            Side::Buy => (&mut self.bids, price),
            Side::Sell => (&mut self.asks, -price),
        };
        let idx = levels.partition_point(|l| l.rank < rank);
        if idx < levels.len() && levels[idx].rank == rank {
            if qty == 0 {
                levels.remove(idx);
            } else {
                levels[idx].qty = qty;
            }
        } else if qty > 0 {
            levels.insert(idx, Level { rank, qty });
        }
        if qty > 0 && self.policy == CrossPolicy::TrustLatest {
            self.uncross(side, price);
        }
    }

    fn uncross(&mut self, side: Side, price: i64) {
        match side {
            Side::Buy => {
                while let Some(a) = self.asks.last() {
                    if -a.rank <= price {
                        self.asks.pop();
                        self.uncrossed_levels += 1;
                    } else {
                        break;
                    }
                }
            }
            Side::Sell => {
                while let Some(b) = self.bids.last() {
                    if b.rank >= price {
                        self.bids.pop();
                        self.uncrossed_levels += 1;
                    } else {
                        break;
                    }
                }
            }
        }
    }

    pub fn clear(&mut self) {
        self.bids.clear();
        self.asks.clear();
    }

    #[inline]
    pub fn best_bid(&self) -> Option<Quote> {
        self.bids.last().map(|l| Quote { price: l.rank, qty: l.qty })
    }

    #[inline]
    pub fn best_ask(&self) -> Option<Quote> {
        self.asks.last().map(|l| Quote { price: -l.rank, qty: l.qty })
    }

    /// Mid price in units; may be a half unit, hence f64 (only for display/signals, never compared).
    pub fn mid(&self) -> Option<f64> {
        match (self.best_bid(), self.best_ask()) {
            (Some(b), Some(a)) => Some((b.price as f64 + a.price as f64) / 2.0),
            _ => None,
        }
    }

    pub fn spread(&self) -> Option<i64> {
        match (self.best_bid(), self.best_ask()) {
            (Some(b), Some(a)) => Some(a.price - b.price),
            _ => None,
        }
    }

    /// Best bid at or above best ask. Only possible with `CrossPolicy::Keep`.
    pub fn is_crossed(&self) -> bool {
        matches!((self.best_bid(), self.best_ask()), (Some(b), Some(a)) if b.price >= a.price)
    }

    pub fn depth(&self, side: Side) -> usize {
        match side {
            Side::Buy => self.bids.len(),
            Side::Sell => self.asks.len(),
        }
    }

    /// Levels from the touch outwards, at most `n`.
    pub fn top(&self, side: Side, n: usize) -> impl Iterator<Item = Quote> + '_ {
        let (levels, sign) = match side {
            Side::Buy => (&self.bids, 1),
            Side::Sell => (&self.asks, -1),
        };
        levels.iter().rev().take(n).map(move |l| Quote { price: sign * l.rank, qty: l.qty })
    }

    /// Order-book imbalance over the top `n` levels: (bidQty - askQty) / (bidQty + askQty), in [-1, 1].
    pub fn imbalance(&self, n: usize) -> Option<f64> {
        let b: i64 = self.top(Side::Buy, n).map(|q| q.qty).sum();
        let a: i64 = self.top(Side::Sell, n).map(|q| q.qty).sum();
        if a + b == 0 {
            None
        } else {
            Some((b - a) as f64 / (b + a) as f64)
        }
    }

    pub fn uncrossed_levels(&self) -> u64 {
        self.uncrossed_levels
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn book(policy: CrossPolicy) -> L2Book {
        L2Book::new(Grid::new(1, 1).unwrap(), policy)
    }

    #[test]
    fn best_levels_mid_spread() {
        let mut b = book(CrossPolicy::TrustLatest);
        assert_eq!(b.mid(), None);
        b.set_level(Side::Buy, 100, 5);
        b.set_level(Side::Buy, 99, 7);
        b.set_level(Side::Sell, 103, 2);
        b.set_level(Side::Sell, 102, 4);
        assert_eq!(b.best_bid(), Some(Quote { price: 100, qty: 5 }));
        assert_eq!(b.best_ask(), Some(Quote { price: 102, qty: 4 }));
        assert_eq!(b.mid(), Some(101.0));
        assert_eq!(b.spread(), Some(2));
        let bids: Vec<_> = b.top(Side::Buy, 10).map(|q| q.price).collect();
        let asks: Vec<_> = b.top(Side::Sell, 10).map(|q| q.price).collect();
        assert_eq!(bids, vec![100, 99]);
        assert_eq!(asks, vec![102, 103]);
    }

    #[test]
    fn zero_qty_deletes_and_unknown_delete_is_noop() {
        let mut b = book(CrossPolicy::TrustLatest);
        b.set_level(Side::Buy, 100, 5);
        b.set_level(Side::Buy, 100, 0);
        assert_eq!(b.best_bid(), None);
        b.set_level(Side::Buy, 50, 0);
        assert_eq!(b.depth(Side::Buy), 0);
    }

    #[test]
    fn trust_latest_removes_crossed_levels() {
        let mut b = book(CrossPolicy::TrustLatest);
        b.set_level(Side::Sell, 101, 1);
        b.set_level(Side::Sell, 102, 1);
        b.set_level(Side::Sell, 103, 1);
        b.set_level(Side::Buy, 102, 9);
        assert_eq!(b.best_ask().unwrap().price, 103);
        assert_eq!(b.uncrossed_levels(), 2);
        assert!(!b.is_crossed());
    }

    #[test]
    fn keep_policy_reports_crossed() {
        let mut b = book(CrossPolicy::Keep);
        b.set_level(Side::Sell, 101, 1);
        b.set_level(Side::Buy, 101, 1);
        assert!(b.is_crossed());
        assert_eq!(b.spread(), Some(0));
    }

    #[test]
    fn imbalance() {
        let mut b = book(CrossPolicy::TrustLatest);
        b.set_level(Side::Buy, 100, 30);
        b.set_level(Side::Sell, 101, 10);
        assert_eq!(b.imbalance(5), Some(0.5));
    }
}
