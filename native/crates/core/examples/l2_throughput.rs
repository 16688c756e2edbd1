//! Core-only L2 throughput (no JS boundary), to separate core cost from binding cost in the
//! benchmark: `cargo run --release --example l2_throughput`.

use hft_core::{CrossPolicy, Grid, L2BookSet};
use std::time::Instant;

fn main() {
    const BOOKS: usize = 8;
    const N: usize = 2_000_000;
    let mut s: u64 = 0x9E3779B97F4A7C15;
    let mut next = || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        (s >> 11) as f64 / (1u64 << 53) as f64
    };
    let mut mids: Vec<f64> = (0..BOOKS).map(|i| 10_000.0 + i as f64 * 1_000.0).collect();
    let mut stream = Vec::with_capacity(N * 4);
    for i in 0..N {
        let b = i % BOOKS;
        if next() < 0.01 {
            mids[b] += if next() < 0.5 { -1.0 } else { 1.0 };
        }
        let side = if next() < 0.5 { 0.0 } else { 1.0 };
        let dist = 1.0 + (-(1.0 - next()).ln() * 4.0).floor();
        let price = if side == 0.0 { mids[b] - dist } else { mids[b] + dist };
        let qty = if next() < 0.25 { 0.0 } else { 1.0 + (next() * 500.0).floor() };
        stream.extend_from_slice(&[b as f64, side, price, qty]);
    }
    let mut best = f64::MAX;
    for _ in 0..5 {
        let mut set = L2BookSet::new();
        for _ in 0..BOOKS {
            set.add_book(Grid::new(1, 1).unwrap(), CrossPolicy::TrustLatest);
        }
        let mut rejects = Vec::new();
        let t = Instant::now();
        for chunk in stream.chunks(1024 * 4) {
            set.apply_batch(chunk, &mut rejects);
        }
        best = best.min(t.elapsed().as_secs_f64());
        assert!(rejects.is_empty());
    }
    println!("core-only L2 updates/s: {:.0} ({:.1} ns/update)", N as f64 / best, best * 1e9 / N as f64);
}
