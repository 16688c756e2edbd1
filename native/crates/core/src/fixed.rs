//! Fixed-point prices and quantities. The core only ever compares integers ("units"): a price of
//! 101.25 with 2 decimals is 10125 units. Batches arrive as f64 records because JS fills Float64Arrays
//! far faster than BigInt64Arrays; every value must be an exact integer below 2^53.

use crate::reject::RejectCode;

/// Largest integer an f64 carries exactly.
pub const MAX_EXACT: f64 = 9_007_199_254_740_992.0; // 2^53

/// Side of a book level or order.
#[repr(u8)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Side {
    /// Bid / buy.
    Buy = 0,
    /// Ask / sell.
    Sell = 1,
}

impl Side {
    #[inline]
    pub fn from_f64(v: f64) -> Result<Side, RejectCode> {
        if v == 0.0 {
            Ok(Side::Buy)
        } else if v == 1.0 {
            Ok(Side::Sell)
        } else {
            Err(RejectCode::InvalidSide)
        }
    }

    #[inline]
    pub fn opposite(self) -> Side {
        match self {
            Side::Buy => Side::Sell,
            Side::Sell => Side::Buy,
        }
    }
}

/// Tick and lot of one instrument, both in integer units (a tick of 5 on a 2-decimal price = 0.05).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Grid {
    pub tick: i64,
    pub lot: i64,
}

impl Grid {
    pub fn new(tick: i64, lot: i64) -> Option<Grid> {
        if tick > 0 && lot > 0 {
            Some(Grid { tick, lot })
        } else {
            None
        }
    }

    /// A strictly positive price on the tick grid.
    #[inline]
    pub fn price(&self, v: f64) -> Result<i64, RejectCode> {
        if !v.is_finite() {
            return Err(RejectCode::PriceNotFinite);
        }
        if v <= 0.0 {
            return Err(RejectCode::PriceNotPositive);
        }
        if v >= MAX_EXACT {
            return Err(RejectCode::ValueOutOfRange);
        }
        // Round-trip through i64 instead of fract(): fract() is a libm call on baseline x86-64.
        let p = v as i64;
        if p as f64 != v {
            return Err(RejectCode::PriceOffTick);
        }
        // Skip the integer division for the common unit tick.
        if self.tick != 1 && p % self.tick != 0 {
            return Err(RejectCode::PriceOffTick);
        }
        Ok(p)
    }

    /// A quantity >= 0 on the lot grid (zero is meaningful for L2 levels: delete).
    #[inline]
    pub fn qty(&self, v: f64) -> Result<i64, RejectCode> {
        if !v.is_finite() {
            return Err(RejectCode::QtyNotFinite);
        }
        if v < 0.0 {
            return Err(RejectCode::QtyNegative);
        }
        if v >= MAX_EXACT {
            return Err(RejectCode::ValueOutOfRange);
        }
        let q = v as i64;
        if q as f64 != v {
            return Err(RejectCode::QtyOffLot);
        }
        if self.lot != 1 && q % self.lot != 0 {
            return Err(RejectCode::QtyOffLot);
        }
        Ok(q)
    }

    /// An order quantity: like `qty` but zero is refused.
    #[inline]
    pub fn order_qty(&self, v: f64) -> Result<i64, RejectCode> {
        let q = self.qty(v)?;
        if q == 0 {
            return Err(RejectCode::QtyNotPositive);
        }
        Ok(q)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn price_validation() {
        let g = Grid::new(5, 1).unwrap();
        assert_eq!(g.price(10125.0), Ok(10125));
        assert_eq!(g.price(10126.0), Err(RejectCode::PriceOffTick));
        assert_eq!(g.price(10125.5), Err(RejectCode::PriceOffTick));
        assert_eq!(g.price(0.0), Err(RejectCode::PriceNotPositive));
        assert_eq!(g.price(-5.0), Err(RejectCode::PriceNotPositive));
        assert_eq!(g.price(f64::NAN), Err(RejectCode::PriceNotFinite));
        assert_eq!(g.price(f64::INFINITY), Err(RejectCode::PriceNotFinite));
        assert_eq!(g.price(MAX_EXACT), Err(RejectCode::ValueOutOfRange));
    }

    #[test]
    fn qty_validation() {
        let g = Grid::new(1, 100).unwrap();
        assert_eq!(g.qty(0.0), Ok(0));
        assert_eq!(g.order_qty(0.0), Err(RejectCode::QtyNotPositive));
        assert_eq!(g.qty(250.0), Err(RejectCode::QtyOffLot));
        assert_eq!(g.qty(-100.0), Err(RejectCode::QtyNegative));
        assert_eq!(g.qty(f64::NAN), Err(RejectCode::QtyNotFinite));
        assert_eq!(g.qty(300.0), Ok(300));
    }

    #[test]
    fn grid_refuses_non_positive_tick_or_lot() {
        assert!(Grid::new(0, 1).is_none());
        assert!(Grid::new(1, -1).is_none());
    }
}
