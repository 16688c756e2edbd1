//! Price-time priority limit order book for one instrument (L3: individual orders).
//! Orders live in a slab with intrusive FIFO links per price level, so cancel is O(1) after the id
//! lookup and matching walks the queue without allocation.

use rustc_hash::FxHashMap;

use super::event::*;
use crate::fixed::{Grid, Side};
use crate::reject::RejectCode;

const NIL: u32 = u32::MAX;

/// Self-trade prevention: what happens when an incoming order would trade with a resting order of
/// the same (non-zero) owner.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StpMode {
    /// Trade anyway.
    None,
    /// Cancel the resting order and keep matching (a.k.a. cancel oldest).
    CancelResting,
    /// Cancel the rest of the incoming order (a.k.a. cancel newest).
    CancelAggressor,
    /// Cancel both.
    CancelBoth,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OrderKind {
    /// Rests until filled or canceled.
    LimitGtc,
    /// Takes what it can at its limit, expires the rest.
    LimitIoc,
    /// Takes what it can at any price, expires the rest.
    Market,
    /// Rests; refused if it would take liquidity on arrival.
    LimitPostOnly,
}

impl OrderKind {
    pub fn from_f64(v: f64) -> Result<OrderKind, RejectCode> {
        match v {
            0.0 => Ok(OrderKind::LimitGtc),
            1.0 => Ok(OrderKind::LimitIoc),
            2.0 => Ok(OrderKind::Market),
            3.0 => Ok(OrderKind::LimitPostOnly),
            _ => Err(RejectCode::InvalidOrderType),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NewOrder {
    pub id: u64,
    pub owner: u64,
    pub side: Side,
    pub kind: OrderKind,
    /// Limit price in units; ignored for market orders.
    pub price: i64,
    pub qty: i64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RestingOrder {
    pub id: u64,
    pub owner: u64,
    pub side: Side,
    pub price: i64,
    pub leaves: i64,
}

#[derive(Clone, Copy, Debug)]
struct Node {
    id: u64,
    owner: u64,
    price: i64,
    leaves: i64,
    prev: u32,
    next: u32,
    side: Side,
}

/// `rank` = price for bids, -price for asks: both sides ascending with the best level last.
#[derive(Clone, Copy, Debug)]
struct Level {
    rank: i64,
    qty: i64,
    head: u32,
    tail: u32,
}

#[inline]
fn rank(side: Side, price: i64) -> i64 {
    match side {
        Side::Buy => price,
        Side::Sell => -price,
    }
}

#[derive(Clone, Debug)]
pub struct OrderBook {
    id: u32,
    grid: Grid,
    stp: StpMode,
    bids: Vec<Level>,
    asks: Vec<Level>,
    nodes: Vec<Node>,
    free: Vec<u32>,
    index: FxHashMap<u64, u32>,
}

impl OrderBook {
    pub fn new(id: u32, grid: Grid, stp: StpMode) -> OrderBook {
        OrderBook {
            id,
            grid,
            stp,
            bids: Vec::new(),
            asks: Vec::new(),
            nodes: Vec::new(),
            free: Vec::new(),
            index: FxHashMap::default(),
        }
    }

    pub fn grid(&self) -> Grid {
        self.grid
    }

    pub fn resting_count(&self) -> usize {
        self.index.len()
    }

    pub fn resting(&self, id: u64) -> Option<RestingOrder> {
        self.index.get(&id).map(|&slot| {
            let n = &self.nodes[slot as usize];
            RestingOrder { id: n.id, owner: n.owner, side: n.side, price: n.price, leaves: n.leaves }
        })
    }

    /// Every resting order, level by level from the touch, FIFO within a level.
    pub fn resting_orders(&self, side: Side) -> Vec<RestingOrder> {
        let mut out = Vec::new();
        for l in self.levels(side).iter().rev() {
            let mut cur = l.head;
            while cur != NIL {
                let n = &self.nodes[cur as usize];
                out.push(RestingOrder { id: n.id, owner: n.owner, side: n.side, price: n.price, leaves: n.leaves });
                cur = n.next;
            }
        }
        out
    }

    pub fn best(&self, side: Side) -> Option<(i64, i64)> {
        self.levels(side).last().map(|l| (rank(side, l.rank), l.qty))
    }

    /// Aggregated levels from the touch outwards: (price, qty).
    pub fn top(&self, side: Side, n: usize) -> Vec<(i64, i64)> {
        self.levels(side).iter().rev().take(n).map(|l| (rank(side, l.rank), l.qty)).collect()
    }

    pub fn is_crossed(&self) -> bool {
        matches!((self.best(Side::Buy), self.best(Side::Sell)), (Some((b, _)), Some((a, _))) if b >= a)
    }

    fn levels(&self, side: Side) -> &Vec<Level> {
        match side {
            Side::Buy => &self.bids,
            Side::Sell => &self.asks,
        }
    }

    fn levels_mut(&mut self, side: Side) -> &mut Vec<Level> {
        match side {
            Side::Buy => &mut self.bids,
            Side::Sell => &mut self.asks,
        }
    }

    /// Would an order on `side` at `limit` (None = market) trade with the opposite touch?
    #[inline]
    fn crosses(&self, side: Side, limit: Option<i64>) -> bool {
        match self.best(side.opposite()) {
            None => false,
            Some((p, _)) => match (side, limit) {
                (_, None) => true,
                (Side::Buy, Some(l)) => p <= l,
                (Side::Sell, Some(l)) => p >= l,
            },
        }
    }

    /// Submit a validated order. Emits Accepted (or Rejected), then fills, then an expiry or cancel
    /// for any remainder that does not rest.
    pub fn submit<S: EventSink>(&mut self, o: NewOrder, sink: &mut S) {
        if self.index.contains_key(&o.id) {
            sink.push(ExecEvent::rejected(self.id, o.id, RejectCode::DuplicateOrderId));
            return;
        }
        let limit = match o.kind {
            OrderKind::Market => None,
            _ => Some(o.price),
        };
        if o.kind == OrderKind::LimitPostOnly && self.crosses(o.side, limit) {
            sink.push(ExecEvent::rejected(self.id, o.id, RejectCode::PostOnlyWouldCross));
            return;
        }
        let shown_price = limit.unwrap_or(0);
        sink.push(ExecEvent {
            kind: EventKind::Accepted,
            book: self.id,
            order_id: o.id,
            other_id: 0,
            price: shown_price,
            qty: o.qty,
            leaves: o.qty,
            detail: 0,
        });
        let (remaining, stp_canceled) = self.match_incoming(&o, limit, sink);
        if remaining == 0 {
            return;
        }
        if stp_canceled {
            sink.push(ExecEvent {
                kind: EventKind::Canceled,
                book: self.id,
                order_id: o.id,
                other_id: 0,
                price: shown_price,
                qty: remaining,
                leaves: 0,
                detail: CANCEL_SELF_TRADE,
            });
            return;
        }
        match o.kind {
            OrderKind::LimitGtc | OrderKind::LimitPostOnly => self.rest(o, remaining),
            OrderKind::LimitIoc | OrderKind::Market => sink.push(ExecEvent {
                kind: EventKind::Expired,
                book: self.id,
                order_id: o.id,
                other_id: 0,
                price: shown_price,
                qty: remaining,
                leaves: 0,
                detail: EXPIRE_UNFILLED,
            }),
        }
    }

    /// Walk the opposite side from the touch. Returns the unfilled quantity and whether self-trade
    /// prevention canceled the incoming order.
    fn match_incoming<S: EventSink>(&mut self, o: &NewOrder, limit: Option<i64>, sink: &mut S) -> (i64, bool) {
        let mut remaining = o.qty;
        let opp = o.side.opposite();
        let stp_active = self.stp != StpMode::None && o.owner != 0;
        while remaining > 0 && self.crosses(o.side, limit) {
            let li = self.levels(opp).len() - 1;
            let level_price = rank(opp, self.levels(opp)[li].rank);
            let mut cur = self.levels(opp)[li].head;
            while cur != NIL && remaining > 0 {
                let maker = self.nodes[cur as usize];
                let next = maker.next;
                if stp_active && maker.owner == o.owner {
                    match self.stp {
                        StpMode::CancelResting | StpMode::CancelBoth => {
                            self.unlink(opp, li, cur);
                            sink.push(ExecEvent {
                                kind: EventKind::Canceled,
                                book: self.id,
                                order_id: maker.id,
                                other_id: 0,
                                price: maker.price,
                                qty: maker.leaves,
                                leaves: 0,
                                detail: CANCEL_SELF_TRADE,
                            });
                            if self.stp == StpMode::CancelBoth {
                                self.pop_empty_level(opp, li);
                                return (remaining, true);
                            }
                            cur = next;
                            continue;
                        }
                        StpMode::CancelAggressor => {
                            return (remaining, true);
                        }
                        StpMode::None => unreachable!(),
                    }
                }
                let q = remaining.min(maker.leaves);
                remaining -= q;
                let maker_leaves = maker.leaves - q;
                self.nodes[cur as usize].leaves = maker_leaves;
                self.levels_mut(opp)[li].qty -= q;
                sink.push(ExecEvent {
                    kind: EventKind::Filled,
                    book: self.id,
                    order_id: maker.id,
                    other_id: o.id,
                    price: level_price,
                    qty: q,
                    leaves: maker_leaves,
                    detail: LIQUIDITY_MAKER,
                });
                sink.push(ExecEvent {
                    kind: EventKind::Filled,
                    book: self.id,
                    order_id: o.id,
                    other_id: maker.id,
                    price: level_price,
                    qty: q,
                    leaves: remaining,
                    detail: LIQUIDITY_TAKER,
                });
                if maker_leaves == 0 {
                    self.unlink(opp, li, cur);
                }
                cur = next;
            }
            self.pop_empty_level(opp, li);
        }
        (remaining, false)
    }

    fn pop_empty_level(&mut self, side: Side, li: usize) {
        let levels = self.levels_mut(side);
        if li < levels.len() && levels[li].head == NIL {
            levels.remove(li);
        }
    }

    /// Remove a node from its level's FIFO, the index and the slab (its level may become empty; the
    /// caller removes empty levels so indices stay valid while it iterates).
    fn unlink(&mut self, side: Side, li: usize, slot: u32) {
        let n = self.nodes[slot as usize];
        if n.prev != NIL {
            self.nodes[n.prev as usize].next = n.next;
        }
        if n.next != NIL {
            self.nodes[n.next as usize].prev = n.prev;
        }
        let level = &mut self.levels_mut(side)[li];
        if level.head == slot {
            level.head = n.next;
        }
        if level.tail == slot {
            level.tail = n.prev;
        }
        level.qty -= n.leaves;
        self.index.remove(&n.id);
        self.free.push(slot);
    }

    fn rest(&mut self, o: NewOrder, leaves: i64) {
        let node = Node { id: o.id, owner: o.owner, price: o.price, leaves, prev: NIL, next: NIL, side: o.side };
        let slot = match self.free.pop() {
            Some(s) => {
                self.nodes[s as usize] = node;
                s
            }
            None => {
                self.nodes.push(node);
                (self.nodes.len() - 1) as u32
            }
        };
        self.index.insert(o.id, slot);
        let r = rank(o.side, o.price);
        let levels = self.levels_mut(o.side);
        let li = levels.partition_point(|l| l.rank < r);
        if li < levels.len() && levels[li].rank == r {
            let tail = levels[li].tail;
            levels[li].tail = slot;
            levels[li].qty += leaves;
            self.nodes[slot as usize].prev = tail;
            self.nodes[tail as usize].next = slot;
        } else {
            levels.insert(li, Level { rank: r, qty: leaves, head: slot, tail: slot });
        }
    }

    fn level_index(&self, side: Side, price: i64) -> usize {
        let r = rank(side, price);
        let levels = self.levels(side);
        let li = levels.partition_point(|l| l.rank < r);
        debug_assert!(li < levels.len() && levels[li].rank == r, "resting order without its level");
        li
    }

    /// Reduce a resting order's open quantity in place, keeping its time priority (as exchanges do
    /// for size decreases). `new_leaves` must be below the current open quantity; 0 cancels.
    pub fn reduce<S: EventSink>(&mut self, id: u64, new_leaves: i64, sink: &mut S) {
        let Some(&slot) = self.index.get(&id) else {
            sink.push(ExecEvent::rejected(self.id, id, RejectCode::UnknownOrderId));
            return;
        };
        let n = self.nodes[slot as usize];
        if new_leaves < 0 || new_leaves >= n.leaves {
            sink.push(ExecEvent::rejected(self.id, id, RejectCode::NotAReduction));
            return;
        }
        if new_leaves == 0 {
            self.cancel_slot(slot, CANCEL_USER, sink);
            return;
        }
        let li = self.level_index(n.side, n.price);
        self.levels_mut(n.side)[li].qty -= n.leaves - new_leaves;
        self.nodes[slot as usize].leaves = new_leaves;
        sink.push(ExecEvent {
            kind: EventKind::Reduced,
            book: self.id,
            order_id: id,
            other_id: 0,
            price: n.price,
            qty: n.leaves - new_leaves,
            leaves: new_leaves,
            detail: 0,
        });
    }

    /// Cancel one resting order by id.
    pub fn cancel<S: EventSink>(&mut self, id: u64, sink: &mut S) {
        let Some(&slot) = self.index.get(&id) else {
            sink.push(ExecEvent::rejected(self.id, id, RejectCode::UnknownOrderId));
            return;
        };
        self.cancel_slot(slot, CANCEL_USER, sink);
    }

    fn cancel_slot<S: EventSink>(&mut self, slot: u32, reason: u8, sink: &mut S) {
        let n = self.nodes[slot as usize];
        let li = self.level_index(n.side, n.price);
        self.unlink(n.side, li, slot);
        self.pop_empty_level(n.side, li);
        sink.push(ExecEvent {
            kind: EventKind::Canceled,
            book: self.id,
            order_id: n.id,
            other_id: 0,
            price: n.price,
            qty: n.leaves,
            leaves: 0,
            detail: reason,
        });
    }

    /// Cancel every resting order, or only those of `owner`. Returns how many were canceled.
    pub fn cancel_all<S: EventSink>(&mut self, owner: Option<u64>, sink: &mut S) -> u32 {
        let mut victims: Vec<RestingOrder> = Vec::new();
        for side in [Side::Buy, Side::Sell] {
            victims.extend(self.resting_orders(side).into_iter().filter(|r| owner.is_none_or(|o| r.owner == o)));
        }
        for v in &victims {
            let slot = self.index[&v.id];
            self.cancel_slot(slot, CANCEL_ALL, sink);
        }
        victims.len() as u32
    }

    /// Total resting quantity, for conservation checks.
    pub fn resting_qty(&self) -> i64 {
        self.bids.iter().chain(self.asks.iter()).map(|l| l.qty).sum()
    }

    /// Internal consistency: level totals equal their orders, FIFO links agree, index matches slab.
    pub fn check_invariants(&self) -> Result<(), String> {
        let mut seen = 0usize;
        for side in [Side::Buy, Side::Sell] {
            let levels = self.levels(side);
            for w in levels.windows(2) {
                if w[0].rank >= w[1].rank {
                    return Err(format!("{side:?} levels out of order"));
                }
            }
            for l in levels {
                let mut cur = l.head;
                let mut prev = NIL;
                let mut sum = 0;
                while cur != NIL {
                    let n = &self.nodes[cur as usize];
                    if n.prev != prev || n.leaves <= 0 || rank(side, n.price) != l.rank || n.side != side {
                        return Err(format!("bad node {} in level {}", n.id, l.rank));
                    }
                    if self.index.get(&n.id) != Some(&cur) {
                        return Err(format!("index disagrees for order {}", n.id));
                    }
                    sum += n.leaves;
                    seen += 1;
                    prev = cur;
                    cur = n.next;
                }
                if prev != l.tail || l.head == NIL {
                    return Err(format!("bad tail/empty level {}", l.rank));
                }
                if sum != l.qty {
                    return Err(format!("level {} qty {} != sum of orders {}", l.rank, l.qty, sum));
                }
            }
        }
        if seen != self.index.len() {
            return Err(format!("{} linked orders but {} indexed", seen, self.index.len()));
        }
        if self.is_crossed() {
            return Err("book left crossed".into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn book(stp: StpMode) -> OrderBook {
        OrderBook::new(0, Grid::new(1, 1).unwrap(), stp)
    }

    fn lim(id: u64, side: Side, price: i64, qty: i64) -> NewOrder {
        NewOrder { id, owner: 0, side, kind: OrderKind::LimitGtc, price, qty }
    }

    fn fills(ev: &[ExecEvent]) -> Vec<(u64, u64, i64, i64, i64, u8)> {
        ev.iter()
            .filter(|e| e.kind == EventKind::Filled)
            .map(|e| (e.order_id, e.other_id, e.price, e.qty, e.leaves, e.detail))
            .collect()
    }

    #[test]
    fn price_time_priority_and_partial_fills_across_levels() {
        let mut b = book(StpMode::None);
        let mut ev = Vec::new();
        b.submit(lim(1, Side::Sell, 101, 5), &mut ev);
        b.submit(lim(2, Side::Sell, 100, 3), &mut ev);
        b.submit(lim(3, Side::Sell, 100, 4), &mut ev);
        ev.clear();
        b.submit(lim(10, Side::Buy, 101, 10), &mut ev);
        assert_eq!(
            fills(&ev),
            vec![
                (2, 10, 100, 3, 0, LIQUIDITY_MAKER),
                (10, 2, 100, 3, 7, LIQUIDITY_TAKER),
                (3, 10, 100, 4, 0, LIQUIDITY_MAKER),
                (10, 3, 100, 4, 3, LIQUIDITY_TAKER),
                (1, 10, 101, 3, 2, LIQUIDITY_MAKER),
                (10, 1, 101, 3, 0, LIQUIDITY_TAKER),
            ]
        );
        assert_eq!(b.best(Side::Sell), Some((101, 2)));
        assert_eq!(b.best(Side::Buy), None);
        b.check_invariants().unwrap();
    }

    #[test]
    fn limit_rests_remainder_and_ioc_expires_it() {
        let mut b = book(StpMode::None);
        let mut ev = Vec::new();
        b.submit(lim(1, Side::Sell, 100, 2), &mut ev);
        b.submit(lim(2, Side::Buy, 100, 5), &mut ev);
        assert_eq!(b.best(Side::Buy), Some((100, 3)));
        ev.clear();
        b.submit(NewOrder { kind: OrderKind::LimitIoc, ..lim(3, Side::Sell, 100, 10) }, &mut ev);
        let last = ev.last().unwrap();
        assert_eq!((last.kind, last.qty, last.leaves), (EventKind::Expired, 7, 0));
        assert_eq!(b.resting_count(), 0);
    }

    #[test]
    fn market_order_walks_book_and_expires_rest() {
        let mut b = book(StpMode::None);
        let mut ev = Vec::new();
        b.submit(lim(1, Side::Buy, 99, 2), &mut ev);
        b.submit(lim(2, Side::Buy, 98, 2), &mut ev);
        ev.clear();
        b.submit(NewOrder { kind: OrderKind::Market, ..lim(3, Side::Sell, 0, 5) }, &mut ev);
        let f = fills(&ev);
        assert_eq!(f[1], (3, 1, 99, 2, 3, LIQUIDITY_TAKER));
        assert_eq!(f[3], (3, 2, 98, 2, 1, LIQUIDITY_TAKER));
        assert_eq!(ev.last().unwrap().kind, EventKind::Expired);
        assert_eq!(ev.last().unwrap().qty, 1);
    }

    #[test]
    fn post_only_rejects_when_crossing() {
        let mut b = book(StpMode::None);
        let mut ev = Vec::new();
        b.submit(lim(1, Side::Sell, 100, 1), &mut ev);
        ev.clear();
        b.submit(NewOrder { kind: OrderKind::LimitPostOnly, ..lim(2, Side::Buy, 100, 1) }, &mut ev);
        assert_eq!(ev, vec![ExecEvent::rejected(0, 2, RejectCode::PostOnlyWouldCross)]);
        ev.clear();
        b.submit(NewOrder { kind: OrderKind::LimitPostOnly, ..lim(3, Side::Buy, 99, 1) }, &mut ev);
        assert_eq!(ev[0].kind, EventKind::Accepted);
        assert_eq!(b.best(Side::Buy), Some((99, 1)));
    }

    #[test]
    fn cancel_and_cancel_unknown() {
        let mut b = book(StpMode::None);
        let mut ev = Vec::new();
        b.submit(lim(1, Side::Buy, 100, 1), &mut ev);
        b.submit(lim(2, Side::Buy, 100, 2), &mut ev);
        b.submit(lim(3, Side::Buy, 100, 3), &mut ev);
        ev.clear();
        b.cancel(2, &mut ev);
        assert_eq!((ev[0].kind, ev[0].qty, ev[0].detail), (EventKind::Canceled, 2, CANCEL_USER));
        b.check_invariants().unwrap();
        assert_eq!(b.best(Side::Buy), Some((100, 4)));
        ev.clear();
        b.cancel(2, &mut ev);
        assert_eq!(ev, vec![ExecEvent::rejected(0, 2, RejectCode::UnknownOrderId)]);
        // FIFO still 1 then 3.
        let ids: Vec<_> = b.resting_orders(Side::Buy).iter().map(|r| r.id).collect();
        assert_eq!(ids, vec![1, 3]);
    }

    #[test]
    fn reduce_keeps_time_priority() {
        let mut b = book(StpMode::None);
        let mut ev = Vec::new();
        b.submit(lim(1, Side::Sell, 100, 10), &mut ev);
        b.submit(lim(2, Side::Sell, 100, 10), &mut ev);
        ev.clear();
        b.reduce(1, 4, &mut ev);
        assert_eq!((ev[0].kind, ev[0].qty, ev[0].leaves), (EventKind::Reduced, 6, 4));
        assert_eq!(b.best(Side::Sell), Some((100, 14)));
        ev.clear();
        b.submit(lim(3, Side::Buy, 100, 5), &mut ev);
        assert_eq!(fills(&ev)[0], (1, 3, 100, 4, 0, LIQUIDITY_MAKER));
        ev.clear();
        b.reduce(2, 9, &mut ev);
        assert_eq!(ev, vec![ExecEvent::rejected(0, 2, RejectCode::NotAReduction)]);
        ev.clear();
        b.reduce(2, 0, &mut ev);
        assert_eq!(ev[0].kind, EventKind::Canceled);
        b.check_invariants().unwrap();
    }

    #[test]
    fn duplicate_id_is_rejected() {
        let mut b = book(StpMode::None);
        let mut ev = Vec::new();
        b.submit(lim(1, Side::Buy, 100, 1), &mut ev);
        ev.clear();
        b.submit(lim(1, Side::Buy, 101, 1), &mut ev);
        assert_eq!(ev, vec![ExecEvent::rejected(0, 1, RejectCode::DuplicateOrderId)]);
    }

    #[test]
    fn self_trade_prevention_modes() {
        for (mode, resting_left, incoming_rests) in [
            (StpMode::CancelResting, false, true),
            (StpMode::CancelAggressor, true, false),
            (StpMode::CancelBoth, false, false),
        ] {
            let mut b = book(mode);
            let mut ev = Vec::new();
            b.submit(NewOrder { owner: 7, ..lim(1, Side::Sell, 100, 5) }, &mut ev);
            ev.clear();
            b.submit(NewOrder { owner: 7, ..lim(2, Side::Buy, 100, 5) }, &mut ev);
            assert!(fills(&ev).is_empty(), "{mode:?} traded with itself");
            assert_eq!(b.resting(1).is_some(), resting_left, "{mode:?}");
            assert_eq!(b.resting(2).is_some(), incoming_rests, "{mode:?}");
            b.check_invariants().unwrap();
        }
        // Different owners still trade.
        let mut b = book(StpMode::CancelBoth);
        let mut ev = Vec::new();
        b.submit(NewOrder { owner: 7, ..lim(1, Side::Sell, 100, 5) }, &mut ev);
        b.submit(NewOrder { owner: 8, ..lim(2, Side::Buy, 100, 5) }, &mut ev);
        assert_eq!(fills(&ev).len(), 2);
    }

    #[test]
    fn cancel_all_by_owner() {
        let mut b = book(StpMode::None);
        let mut ev = Vec::new();
        b.submit(NewOrder { owner: 1, ..lim(1, Side::Buy, 100, 1) }, &mut ev);
        b.submit(NewOrder { owner: 2, ..lim(2, Side::Buy, 99, 1) }, &mut ev);
        b.submit(NewOrder { owner: 1, ..lim(3, Side::Sell, 105, 1) }, &mut ev);
        ev.clear();
        assert_eq!(b.cancel_all(Some(1), &mut ev), 2);
        assert!(ev.iter().all(|e| e.kind == EventKind::Canceled && e.detail == CANCEL_ALL));
        assert_eq!(b.resting_count(), 1);
        assert_eq!(b.cancel_all(None, &mut ev), 1);
        assert_eq!(b.resting_count(), 0);
        b.check_invariants().unwrap();
    }
}
