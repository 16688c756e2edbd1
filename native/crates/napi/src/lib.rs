//! Thin napi-rs binding over `hft-core`. Calls are coarse: whole batches cross the boundary as typed
//! arrays borrowed in place, results come back as typed arrays. Bad records come back as data.

use hft_core as core;
use napi::bindgen_prelude::*;
use napi_derive::napi;

/// f64 slots per L2 update record: `[book, side, price, qty]`.
#[napi]
pub const L2_UPDATE_STRIDE: u32 = core::L2_UPDATE_STRIDE as u32;
/// f64 slots per matching command record: `[op, book, orderId, side, kind, price, qty, owner]`.
#[napi]
pub const COMMAND_STRIDE: u32 = core::COMMAND_STRIDE as u32;
/// f64 slots per execution event record: `[kind, book, orderId, otherId, price, qty, leaves, detail]`.
#[napi]
pub const EVENT_STRIDE: u32 = core::EVENT_STRIDE as u32;

/// Does nothing: measures the bare cost of crossing the JS/native boundary.
#[napi]
pub fn noop() {}

/// Borrows a typed array and returns its length: the boundary cost with a batch argument.
#[napi]
pub fn noop_batch(records: &[f64]) -> u32 {
    records.len() as u32
}

#[napi(object)]
pub struct RejectCodeInfo {
    pub code: u32,
    pub name: String,
}

/// Every stable reject code the core can report.
#[napi]
pub fn reject_codes() -> Vec<RejectCodeInfo> {
    core::RejectCode::ALL
        .iter()
        .map(|c| RejectCodeInfo { code: c.code() as u32, name: c.name().to_string() })
        .collect()
}

fn grid(tick: f64, lot: f64) -> Result<core::Grid> {
    let int = |v: f64| v.is_finite() && v.fract() == 0.0 && v > 0.0 && v < core::MAX_EXACT;
    if !int(tick) || !int(lot) {
        return Err(Error::new(
            Status::InvalidArg,
            format!("tick ({tick}) and lot ({lot}) must be positive integers in units"),
        ));
    }
    core::Grid::new(tick as i64, lot as i64).ok_or_else(|| Error::new(Status::InvalidArg, "bad grid"))
}

/// Output buffers are borrowed in place rather than allocated per call. JS runs on this thread and
/// cannot touch the array while the call is in progress, so the mutable view is not aliased.
fn out_slice<'a>(out: &'a mut Float64ArraySlice) -> &'a mut [f64] {
    unsafe { out.as_mut() }
}

/// `[bidPx, bidQty, askPx, askQty]`, 0 where a side is empty.
fn write_bbo(out: &mut [f64], bid: Option<(i64, i64)>, ask: Option<(i64, i64)>) -> Result<()> {
    if out.len() < 4 {
        return Err(Error::new(Status::InvalidArg, "bbo needs an output of 4 slots"));
    }
    let (bp, bq) = bid.unwrap_or((0, 0));
    let (ap, aq) = ask.unwrap_or((0, 0));
    out[..4].copy_from_slice(&[bp as f64, bq as f64, ap as f64, aq as f64]);
    Ok(())
}

/// Top levels: bids in the first half of `out`, asks in the second; returns `bids | asks << 16`.
fn write_top<B: Iterator<Item = (i64, i64)>, A: Iterator<Item = (i64, i64)>>(out: &mut [f64], bids: B, asks: A) -> u32 {
    let half = out.len() / 4 * 2;
    let (b, a) = out.split_at_mut(half);
    let nb = write_side(bids, b);
    let na = write_side(asks, &mut a[..half]);
    nb | (na << 16)
}

fn write_side<I: Iterator<Item = (i64, i64)>>(levels: I, out: &mut [f64]) -> u32 {
    out.fill(0.0);
    let mut n = 0u32;
    for (slot, (p, q)) in out.chunks_exact_mut(2).zip(levels) {
        slot[0] = p as f64;
        slot[1] = q as f64;
        n += 1;
    }
    n
}

#[napi(object)]
pub struct L2BookStats {
    pub bid_levels: u32,
    pub ask_levels: u32,
    pub uncrossed_levels: f64,
    pub crossed: bool,
}

/// A set of aggregated L2 books, one per instrument, updated by packed batches.
#[napi(js_name = "L2BookSet")]
pub struct JsL2BookSet {
    inner: core::L2BookSet,
    rejects: Vec<core::RecordReject>,
}

#[napi]
impl JsL2BookSet {
    #[napi(constructor)]
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        JsL2BookSet { inner: core::L2BookSet::new(), rejects: Vec::new() }
    }

    /// Add a book with its tick and lot in integer units; `keepCrossed` keeps crossed states visible
    /// instead of trusting the latest update. Returns the book index used in records.
    #[napi]
    pub fn add_book(&mut self, tick: f64, lot: f64, keep_crossed: Option<bool>) -> Result<u32> {
        let policy = if keep_crossed.unwrap_or(false) { core::CrossPolicy::Keep } else { core::CrossPolicy::TrustLatest };
        Ok(self.inner.add_book(grid(tick, lot)?, policy))
    }

    /// Apply a batch of `[book, side, price, qty]` records. Returns the number of rejected records;
    /// `lastRejects()` tells which and why. Good records in the batch apply regardless.
    #[napi]
    pub fn apply(&mut self, records: &[f64]) -> u32 {
        self.rejects.clear();
        self.inner.apply_batch(records, &mut self.rejects);
        self.rejects.len() as u32
    }

    /// `[recordIndex, code]` pairs from the last `apply`.
    #[napi]
    pub fn last_rejects(&self) -> Int32Array {
        let v: Vec<i32> = self.rejects.iter().flat_map(|r| [r.index as i32, r.code.code() as i32]).collect();
        Int32Array::new(v)
    }

    /// Writes `[bidPx, bidQty, askPx, askQty]` into `out` (0 where a side is empty).
    #[napi]
    pub fn bbo(&self, book: u32, mut out: Float64ArraySlice) -> Result<()> {
        let out = out_slice(&mut out);
        let b = self.book(book)?;
        write_bbo(out, b.best_bid().map(|q| (q.price, q.qty)), b.best_ask().map(|q| (q.price, q.qty)))
    }

    /// The best bid and ask of many books in one call (a whole option chain): `[bidPx, bidQty, askPx,
    /// askQty]` per book of `books`, in order, into `out` (4 slots each; 0 where a side is empty).
    #[napi]
    pub fn bbo_many(&self, books: &[u32], mut out: Float64ArraySlice) -> Result<()> {
        let out = out_slice(&mut out);
        if out.len() < books.len() * 4 {
            return Err(Error::new(Status::InvalidArg, format!("bboMany needs {} output slots for {} books, got {}", books.len() * 4, books.len(), out.len())));
        }
        for (i, &book) in books.iter().enumerate() {
            let b = self.book(book)?;
            write_bbo(&mut out[i * 4..i * 4 + 4], b.best_bid().map(|q| (q.price, q.qty)), b.best_ask().map(|q| (q.price, q.qty)))?;
        }
        Ok(())
    }

    /// Writes the top `out.len() / 4` levels per side: bids `[px, qty]` pairs in the first half of
    /// `out`, asks in the second half, unused slots 0. Returns `bidLevels | askLevels << 16`.
    #[napi]
    pub fn top(&self, book: u32, mut out: Float64ArraySlice) -> Result<u32> {
        let out = out_slice(&mut out);
        let b = self.book(book)?;
        let depth = out.len() / 4;
        Ok(write_top(
            out,
            b.top(core::Side::Buy, depth).map(|q| (q.price, q.qty)),
            b.top(core::Side::Sell, depth).map(|q| (q.price, q.qty)),
        ))
    }

    #[napi]
    pub fn stats(&self, book: u32) -> Result<L2BookStats> {
        let b = self.book(book)?;
        Ok(L2BookStats {
            bid_levels: b.depth(core::Side::Buy) as u32,
            ask_levels: b.depth(core::Side::Sell) as u32,
            uncrossed_levels: b.uncrossed_levels() as f64,
            crossed: b.is_crossed(),
        })
    }

    #[napi]
    pub fn clear(&mut self, book: u32) -> Result<()> {
        self.inner.book_mut(book).ok_or_else(|| unknown_book(book))?.clear();
        Ok(())
    }

    #[napi(getter)]
    pub fn size(&self) -> u32 {
        self.inner.len() as u32
    }

    fn book(&self, i: u32) -> Result<&core::L2Book> {
        self.inner.book(i).ok_or_else(|| unknown_book(i))
    }
}

fn unknown_book(i: u32) -> Error {
    Error::new(Status::InvalidArg, format!("unknown book index {i}"))
}

/// Price-time priority matching engine over several instruments.
#[napi(js_name = "MatchingEngine")]
pub struct JsMatchingEngine {
    inner: core::MatchingEngine,
    /// Reused between calls; results are copied into a V8-owned array, which is cheaper for the
    /// garbage collector than handing over a fresh external buffer per batch.
    scratch: core::RecordSink,
}

#[napi]
impl JsMatchingEngine {
    #[napi(constructor)]
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        JsMatchingEngine { inner: core::MatchingEngine::new(), scratch: core::RecordSink::default() }
    }

    /// `stp`: "none" (default), "cancel-resting", "cancel-aggressor" or "cancel-both".
    #[napi]
    pub fn add_book(&mut self, tick: f64, lot: f64, stp: Option<String>) -> Result<u32> {
        let mode = match stp.as_deref().unwrap_or("none") {
            "none" => core::StpMode::None,
            "cancel-resting" => core::StpMode::CancelResting,
            "cancel-aggressor" => core::StpMode::CancelAggressor,
            "cancel-both" => core::StpMode::CancelBoth,
            other => {
                return Err(Error::new(
                    Status::InvalidArg,
                    format!("unknown self-trade prevention mode {other:?} (none|cancel-resting|cancel-aggressor|cancel-both)"),
                ))
            }
        };
        Ok(self.inner.add_book(grid(tick, lot)?, mode))
    }

    /// Process packed command records in order; returns packed event records.
    #[napi]
    pub fn process<'env>(&mut self, env: &'env Env, records: &[f64]) -> Result<Float64ArraySlice<'env>> {
        self.scratch.records.clear();
        self.inner.process_batch(records, &mut self.scratch);
        Float64ArraySlice::copy_from(env, &self.scratch.records)
    }

    /// Writes `[bidPx, bidQty, askPx, askQty]` (0 where a side is empty).
    #[napi]
    pub fn bbo(&self, book: u32, mut out: Float64ArraySlice) -> Result<()> {
        let out = out_slice(&mut out);
        let b = self.book(book)?;
        write_bbo(out, b.best(core::Side::Buy), b.best(core::Side::Sell))
    }

    /// Same layout as `L2BookSet.top`, aggregated from resting orders.
    #[napi]
    pub fn top(&self, book: u32, mut out: Float64ArraySlice) -> Result<u32> {
        let out = out_slice(&mut out);
        let b = self.book(book)?;
        let depth = out.len() / 4;
        Ok(write_top(out, b.top(core::Side::Buy, depth).into_iter(), b.top(core::Side::Sell, depth).into_iter()))
    }

    /// Resting orders as `[orderId, side, price, leaves, owner]` records, bids then asks, each from
    /// the touch outwards in FIFO order.
    #[napi]
    pub fn resting_orders(&self, book: u32) -> Result<Float64Array> {
        let b = self.book(book)?;
        let mut v = Vec::with_capacity(b.resting_count() * 5);
        for side in [core::Side::Buy, core::Side::Sell] {
            for r in b.resting_orders(side) {
                v.extend_from_slice(&[r.id as f64, r.side as u8 as f64, r.price as f64, r.leaves as f64, r.owner as f64]);
            }
        }
        Ok(Float64Array::new(v))
    }

    #[napi]
    pub fn resting_count(&self, book: u32) -> Result<u32> {
        Ok(self.book(book)?.resting_count() as u32)
    }

    fn book(&self, i: u32) -> Result<&core::OrderBook> {
        self.inner.book(i).ok_or_else(|| unknown_book(i))
    }
}

/// f64 slots per option pricing row: `[model, right, spotOrForward, strike, years, rate, dividendYield, vol]`.
#[napi]
pub const OPTION_INPUT_STRIDE: u32 = core::OPTION_INPUT_STRIDE as u32;
/// f64 slots per greeks row: `[price, delta, gamma, theta, vega, rho, vanna, charm, vomma, thetaDay]`.
#[napi]
pub const GREEKS_STRIDE: u32 = core::GREEKS_STRIDE as u32;
/// f64 slots per implied-vol row: `[model, right, spotOrForward, strike, years, rate, dividendYield, price]`.
#[napi]
pub const IV_INPUT_STRIDE: u32 = core::IV_INPUT_STRIDE as u32;

/// Every per-row code the option pricer can return.
#[napi]
pub fn option_codes() -> Vec<RejectCodeInfo> {
    core::OptionCode::ALL.iter().map(|c| RejectCodeInfo { code: *c as u32, name: c.name().to_string() }).collect()
}

fn out_bytes<'a>(out: &'a mut Uint8ArraySlice) -> &'a mut [u8] {
    // Same reasoning as out_slice: JS cannot touch the array during the call.
    unsafe { out.as_mut() }
}

/// Price and greeks of a whole chain in one call; per-row codes, never a throw. Returns rows priced OK.
#[napi]
pub fn option_greeks_batch(input: &[f64], mut out: Float64ArraySlice, mut codes: Uint8ArraySlice) -> u32 {
    core::greeks_batch(input, out_slice(&mut out), out_bytes(&mut codes)) as u32
}

/// Implied vols of a whole chain in one call; per-row codes, NaN where refused. Returns rows solved.
#[napi]
pub fn implied_vol_batch(input: &[f64], mut out: Float64ArraySlice, mut codes: Uint8ArraySlice) -> u32 {
    core::implied_vol_batch(input, out_slice(&mut out), out_bytes(&mut codes)) as u32
}

/// f64 slots per ITCH replay record: `[kind, book, tsNs, price, qty, flags, messageNo, offset]`.
#[napi]
pub const ITCH_RECORD_STRIDE: u32 = core::itch::ITCH_RECORD_STRIDE as u32;

/// Every code the ITCH replay can report for a refused message.
#[napi]
pub fn itch_codes() -> Vec<RejectCodeInfo> {
    core::itch::ItchCode::ALL.iter().map(|c| RejectCodeInfo { code: c.code() as u32, name: c.name().to_string() }).collect()
}

#[napi(object)]
pub struct ItchScan {
    pub messages: f64,
    pub refused: f64,
    pub fold: f64,
}

/// Frame and decode every whole message of `bytes` without applying any: the cost of parsing alone.
#[napi]
pub fn itch_scan(bytes: &[u8]) -> ItchScan {
    let (ok, bad, fold) = core::itch::scan(bytes);
    ItchScan { messages: ok as f64, refused: bad as f64, fold: (fold & ((1 << 52) - 1)) as f64 }
}

#[napi(object)]
pub struct ItchCounts {
    pub messages: f64,
    pub skipped: f64,
    pub refused: f64,
    pub broken_trades: f64,
    pub open_orders: f64,
}

/// ITCH 5.0 replay into order-level books: push file bytes in any chunks, drain records.
#[napi(js_name = "ItchReplay")]
pub struct JsItchReplay {
    inner: core::itch::ItchReplay,
}

#[napi]
impl JsItchReplay {
    #[napi(constructor)]
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        JsItchReplay { inner: core::itch::ItchReplay::new() }
    }

    /// Follow `symbol` (as the stock directory names it); `divisor` = 10^(4 - price decimals), `tick`
    /// in price units, `qtyMultiplier` = quantity units per share. Returns the book index of its records.
    #[napi]
    pub fn subscribe(&mut self, symbol: String, divisor: u32, tick: u32, qty_multiplier: u32) -> Result<u32> {
        self.inner.subscribe(&symbol, divisor as u64, tick as u64, qty_multiplier as u64).ok_or_else(|| {
            Error::new(Status::InvalidArg, format!("cannot follow {symbol:?} in ITCH: a symbol is 1-8 printable ASCII characters, and divisor, tick and qty multiplier are positive"))
        })
    }

    /// Append the next bytes of the file (copied; the buffer may be reused by the caller).
    #[napi]
    pub fn push(&mut self, bytes: &[u8]) {
        self.inner.push(bytes);
    }

    /// The file is complete: a partial message left over is reported by the next `drain`.
    #[napi]
    pub fn end(&mut self) {
        self.inner.end();
    }

    /// Decode and apply whole messages while `out` has room; returns the records written (0 = push more).
    #[napi]
    pub fn drain(&mut self, mut out: Float64ArraySlice) -> u32 {
        self.inner.drain(out_slice(&mut out)) as u32
    }

    /// Same layout as `L2BookSet.top`, from the order-level book.
    #[napi]
    pub fn top(&self, book: u32, mut out: Float64ArraySlice) -> u32 {
        let out = out_slice(&mut out);
        let depth = out.len() / 4;
        let b = self.inner.book();
        write_top(out, b.top(book, true, depth).into_iter().map(|(p, q)| (p as i64, q as i64)), b.top(book, false, depth).into_iter().map(|(p, q)| (p as i64, q as i64)))
    }

    #[napi]
    pub fn counts(&self) -> ItchCounts {
        let c = self.inner.counts();
        ItchCounts {
            messages: c.messages as f64,
            skipped: c.skipped as f64,
            refused: c.refused as f64,
            broken_trades: c.broken_trades as f64,
            open_orders: self.inner.book().open_orders() as f64,
        }
    }

    /// Bytes of whole messages consumed so far.
    #[napi(getter)]
    pub fn offset(&self) -> f64 {
        self.inner.offset() as f64
    }
}
