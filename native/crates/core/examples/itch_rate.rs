//! ITCH replay rate of the core alone, from Rust, on a file: the binding's figure is compared with it.
//!   cargo run --release --example itch_rate -- FILE SYMBOL...

use std::time::Instant;

use hft_core::itch::{scan, ItchReplay, ITCH_RECORD_STRIDE};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let bytes = std::fs::read(&args[0]).expect("read the ITCH file");
    let mut apply = Vec::new();
    let mut scans = Vec::new();
    let mut messages = 0;
    for _ in 0..5 {
        let t = Instant::now();
        let (n, _, fold) = scan(&bytes);
        scans.push(t.elapsed().as_nanos() as f64 / n as f64);
        std::hint::black_box(fold);
        let mut r = ItchReplay::new();
        for s in &args[1..] {
            r.subscribe(s, 100, 1, 1);
        }
        let mut out = vec![0.0; 4096 * ITCH_RECORD_STRIDE];
        let t = Instant::now();
        for chunk in bytes.chunks(1 << 18) {
            r.push(chunk);
            while r.drain(&mut out) > 0 {}
        }
        apply.push(t.elapsed().as_nanos() as f64 / r.counts().messages as f64);
        messages = r.counts().messages;
    }
    // Medians, like the JS side's timeIt.
    let median = |v: &mut Vec<f64>| {
        v.sort_by(|a, b| a.total_cmp(b));
        v[v.len() / 2]
    };
    let (best_scan, best_apply) = (median(&mut scans), median(&mut apply));
    println!("{{\"messages\":{messages},\"scanNsPerMessage\":{best_scan:.1},\"applyNsPerMessage\":{best_apply:.1}}}");
}
