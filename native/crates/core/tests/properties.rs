//! Property tests: random command streams against the invariants a venue must never break.

use std::collections::{BTreeMap, HashMap};

use hft_core::*;
use proptest::prelude::*;

#[derive(Clone, Debug)]
enum Cmd {
    New { side: u8, kind: u8, price: i64, qty: i64, owner: u64 },
    Cancel { pick: usize },
    CancelAll { owner: u64 },
    Reduce { pick: usize, to: i64 },
}

fn cmd() -> impl Strategy<Value = Cmd> {
    prop_oneof![
        8 => (0u8..2, 0u8..4, 95i64..106, 1i64..20, 0u64..3)
            .prop_map(|(side, kind, price, qty, owner)| Cmd::New { side, kind, price, qty, owner }),
        3 => (0usize..1000).prop_map(|pick| Cmd::Cancel { pick }),
        1 => (0u64..3).prop_map(|owner| Cmd::CancelAll { owner }),
        2 => (0usize..1000, 0i64..15).prop_map(|(pick, to)| Cmd::Reduce { pick, to }),
    ]
}

fn stp() -> impl Strategy<Value = StpMode> {
    prop_oneof![
        Just(StpMode::None),
        Just(StpMode::CancelResting),
        Just(StpMode::CancelAggressor),
        Just(StpMode::CancelBoth)
    ]
}

#[derive(Default, Debug)]
struct Ledger {
    accepted: i64,
    filled: i64,
    removed: i64,
    last_leaves: i64,
    limit: Option<(u8, i64)>,
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// The book is never left crossed, its internal links stay consistent, every order's quantity is
    /// conserved (accepted = filled + canceled/expired + resting), both sides of every trade agree and
    /// no taker trades through its limit.
    #[test]
    fn matching_invariants(stp in stp(), cmds in prop::collection::vec(cmd(), 1..300)) {
        let mut e = MatchingEngine::new();
        e.add_book(Grid::new(1, 1).unwrap(), stp);
        let mut ledger: HashMap<u64, Ledger> = HashMap::new();
        let mut next_id = 1u64;
        let mut maker_qty = 0i64;
        let mut taker_qty = 0i64;
        for c in &cmds {
            let rec: [f64; COMMAND_STRIDE] = match *c {
                Cmd::New { side, kind, price, qty, owner } => {
                    let id = next_id;
                    next_id += 1;
                    ledger.insert(id, Ledger { limit: (kind != 2).then_some((side, price)), ..Ledger::default() });
                    [OP_NEW, 0.0, id as f64, side as f64, kind as f64, price as f64, qty as f64, owner as f64]
                }
                Cmd::Cancel { pick } => {
                    let id = (pick as u64 % next_id.max(2)).max(1);
                    [OP_CANCEL, 0.0, id as f64, 0.0, 0.0, 0.0, 0.0, 0.0]
                }
                Cmd::CancelAll { owner } => [OP_CANCEL_ALL, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, owner as f64],
                Cmd::Reduce { pick, to } => {
                    let id = (pick as u64 % next_id.max(2)).max(1);
                    [OP_REDUCE, 0.0, id as f64, 0.0, 0.0, 0.0, to as f64, 0.0]
                }
            };
            let mut ev: Vec<ExecEvent> = Vec::new();
            e.process_batch(&rec, &mut ev);
            let mut pending_maker: Option<ExecEvent> = None;
            for x in &ev {
                let l = ledger.get_mut(&x.order_id);
                match x.kind {
                    EventKind::Accepted => { let l = l.unwrap(); l.accepted = x.qty; l.last_leaves = x.qty; }
                    EventKind::Rejected => {}
                    EventKind::Filled => {
                        let l = l.unwrap();
                        l.filled += x.qty;
                        prop_assert_eq!(l.last_leaves - x.qty, x.leaves);
                        l.last_leaves = x.leaves;
                        if x.detail == 1 {
                            maker_qty += x.qty;
                            pending_maker = Some(*x);
                        } else {
                            taker_qty += x.qty;
                            let m = pending_maker.take().expect("taker fill without maker fill");
                            prop_assert_eq!((m.price, m.qty, m.other_id), (x.price, x.qty, x.order_id));
                            if let Some((side, limit)) = l.limit {
                                prop_assert!(if side == 0 { x.price <= limit } else { x.price >= limit },
                                    "trade through limit: {:?}", x);
                            }
                        }
                    }
                    EventKind::Reduced => {
                        let l = l.unwrap();
                        prop_assert_eq!(l.last_leaves - x.qty, x.leaves);
                        l.removed += x.qty;
                        l.last_leaves = x.leaves;
                    }
                    EventKind::Canceled | EventKind::Expired => {
                        let l = l.unwrap();
                        prop_assert_eq!(x.qty, l.last_leaves);
                        l.removed += x.qty;
                        l.last_leaves = 0;
                    }
                }
            }
            let book = e.book(0).unwrap();
            prop_assert!(book.check_invariants().is_ok(), "{:?}", book.check_invariants());
        }
        prop_assert_eq!(maker_qty, taker_qty);
        let book = e.book(0).unwrap();
        let mut resting_total = 0;
        for (id, l) in &ledger {
            let resting = book.resting(*id).map_or(0, |r| r.leaves);
            resting_total += resting;
            prop_assert_eq!(l.accepted, l.filled + l.removed + resting, "order {} not conserved", id);
        }
        prop_assert_eq!(resting_total, book.resting_qty());
    }

    /// With TrustLatest the L2 book is never crossed; with Keep it matches a plain BTreeMap model
    /// exactly, level by level.
    #[test]
    fn l2_book_matches_model(ups in prop::collection::vec((0u8..2, 90i64..111, 0i64..5), 1..400)) {
        let mut set = L2BookSet::new();
        let trust = set.add_book(Grid::new(1, 1).unwrap(), CrossPolicy::TrustLatest);
        let keep = set.add_book(Grid::new(1, 1).unwrap(), CrossPolicy::Keep);
        let mut model: [BTreeMap<i64, i64>; 2] = [BTreeMap::new(), BTreeMap::new()];
        let mut rejects = Vec::new();
        for &(side, price, qty) in &ups {
            let batch = [trust as f64, side as f64, price as f64, qty as f64, keep as f64, side as f64, price as f64, qty as f64];
            set.apply_batch(&batch, &mut rejects);
            if qty == 0 { model[side as usize].remove(&price); } else { model[side as usize].insert(price, qty); }
            prop_assert!(!set.book(trust).unwrap().is_crossed());
        }
        prop_assert!(rejects.is_empty());
        let k = set.book(keep).unwrap();
        let bids: Vec<(i64, i64)> = k.top(Side::Buy, 100).map(|q| (q.price, q.qty)).collect();
        let asks: Vec<(i64, i64)> = k.top(Side::Sell, 100).map(|q| (q.price, q.qty)).collect();
        let mbids: Vec<(i64, i64)> = model[0].iter().rev().map(|(p, q)| (*p, *q)).collect();
        let masks: Vec<(i64, i64)> = model[1].iter().map(|(p, q)| (*p, *q)).collect();
        prop_assert_eq!(bids, mbids);
        prop_assert_eq!(asks, masks);
    }
}
