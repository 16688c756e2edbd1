//! Many L2 books behind one batched entry point: market data interleaves symbols, so one call applies
//! a mixed batch. Bad records are reported back as data (index + code), never thrown; good records in
//! the same batch still apply.

use crate::fixed::{Grid, Side};
use crate::l2_book::{CrossPolicy, L2Book};
use crate::reject::RejectCode;

/// f64 slots per update record: `[book, side, price, qty]`.
pub const L2_UPDATE_STRIDE: usize = 4;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RecordReject {
    /// Index of the record in the batch (not of the f64 slot).
    pub index: u32,
    pub code: RejectCode,
}

#[derive(Default, Clone, Debug)]
pub struct L2BookSet {
    books: Vec<L2Book>,
    applied: u64,
    rejected: u64,
}

impl L2BookSet {
    pub fn new() -> L2BookSet {
        L2BookSet::default()
    }

    pub fn add_book(&mut self, grid: Grid, policy: CrossPolicy) -> u32 {
        self.books.push(L2Book::new(grid, policy));
        (self.books.len() - 1) as u32
    }

    pub fn len(&self) -> usize {
        self.books.len()
    }

    pub fn is_empty(&self) -> bool {
        self.books.is_empty()
    }

    pub fn book(&self, i: u32) -> Option<&L2Book> {
        self.books.get(i as usize)
    }

    pub fn book_mut(&mut self, i: u32) -> Option<&mut L2Book> {
        self.books.get_mut(i as usize)
    }

    /// Apply a packed batch; rejects are appended to `rejects`. Returns the number applied.
    pub fn apply_batch(&mut self, records: &[f64], rejects: &mut Vec<RecordReject>) -> u32 {
        let mut applied = 0u32;
        let whole = records.len() / L2_UPDATE_STRIDE;
        for (i, r) in records.chunks_exact(L2_UPDATE_STRIDE).enumerate() {
            match self.apply_one(r) {
                Ok(()) => applied += 1,
                Err(code) => rejects.push(RecordReject { index: i as u32, code }),
            }
        }
        if !records.len().is_multiple_of(L2_UPDATE_STRIDE) {
            rejects.push(RecordReject { index: whole as u32, code: RejectCode::TruncatedRecord });
        }
        self.applied += applied as u64;
        self.rejected += (rejects.len()) as u64;
        applied
    }

    #[inline]
    fn apply_one(&mut self, r: &[f64]) -> Result<(), RejectCode> {
        let book = r[0];
        if !(book >= 0.0 && book.fract() == 0.0 && (book as usize) < self.books.len()) {
            return Err(RejectCode::UnknownBook);
        }
        let b = &mut self.books[book as usize];
        let side = Side::from_f64(r[1])?;
        let grid = b.grid();
        let price = grid.price(r[2])?;
        let qty = grid.qty(r[3])?;
        b.set_level(side, price, qty);
        Ok(())
    }

    pub fn applied(&self) -> u64 {
        self.applied
    }

    pub fn rejected(&self) -> u64 {
        self.rejected
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mixed_batch_applies_good_records_and_reports_bad_ones() {
        let mut set = L2BookSet::new();
        let a = set.add_book(Grid::new(1, 1).unwrap(), CrossPolicy::TrustLatest) as f64;
        let b = set.add_book(Grid::new(5, 10).unwrap(), CrossPolicy::TrustLatest) as f64;
        let batch = [
            a, 0.0, 100.0, 5.0, // ok
            b, 1.0, 2005.0, 20.0, // ok
            b, 1.0, 2003.0, 20.0, // off tick
            a, 2.0, 100.0, 1.0, // bad side
            a, 0.0, f64::NAN, 1.0, // NaN price
            a, 0.0, -1.0, 1.0, // negative price
            a, 0.0, 101.0, -1.0, // negative qty
            9.0, 0.0, 101.0, 1.0, // unknown book
            a, 0.0, // truncated
        ];
        let mut rejects = Vec::new();
        let applied = set.apply_batch(&batch, &mut rejects);
        assert_eq!(applied, 2);
        let codes: Vec<_> = rejects.iter().map(|r| (r.index, r.code)).collect();
        assert_eq!(
            codes,
            vec![
                (2, RejectCode::PriceOffTick),
                (3, RejectCode::InvalidSide),
                (4, RejectCode::PriceNotFinite),
                (5, RejectCode::PriceNotPositive),
                (6, RejectCode::QtyNegative),
                (7, RejectCode::UnknownBook),
                (8, RejectCode::TruncatedRecord),
            ]
        );
        assert_eq!(set.book(0).unwrap().best_bid().unwrap().price, 100);
        assert_eq!(set.book(1).unwrap().best_ask().unwrap().qty, 20);
        assert_eq!(set.rejected(), 7);
    }
}
