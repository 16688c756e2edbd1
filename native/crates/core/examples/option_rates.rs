//! Rust-side rates for the native option bench (printed as one JSON line): the `implied-vol` crate
//! called directly, and this core's own batch functions, on the same 200-strike chain the TypeScript
//! bench prices through the binding. Run by bench/option-bench.ts; `cargo run --release --example option_rates`.
use hft_core::{greeks_batch, implied_vol_batch, GREEKS_STRIDE, IV_INPUT_STRIDE, OPTION_INPUT_STRIDE};
use implied_vol::{DefaultSpecialFn, ImpliedBlackVolatility};
use std::hint::black_box;
use std::time::Instant;

const STRIKES: usize = 200;

/// The chain: 200 strikes from 50% to 150% of spot, calls and puts alternating, 3 months, a vol smile.
fn chain(value_is_price: bool, prices: &[f64]) -> Vec<f64> {
    let mut rows = Vec::with_capacity(STRIKES * OPTION_INPUT_STRIDE);
    for i in 0..STRIKES {
        let k = 50.0 + i as f64 * 0.5;
        let vol = 0.2 + 0.3 * ((k - 100.0) / 100.0).powi(2);
        let v = if value_is_price { prices.get(i).copied().unwrap_or(f64::NAN) } else { vol };
        rows.extend_from_slice(&[0.0, (i % 2) as f64, 100.0, k, 0.25, 0.03, 0.01, v]);
    }
    rows
}

fn rate(mut f: impl FnMut(), per_call: usize) -> f64 {
    for _ in 0..50 {
        f();
    }
    let mut best = f64::MAX;
    for _ in 0..5 {
        let n = 2000;
        let t0 = Instant::now();
        for _ in 0..n {
            f();
        }
        best = best.min(t0.elapsed().as_secs_f64() / n as f64);
    }
    per_call as f64 / best
}

fn main() {
    let pricing = chain(false, &[]);
    let mut out = vec![0.0; STRIKES * GREEKS_STRIDE];
    let mut codes = vec![0u8; STRIKES];
    greeks_batch(&pricing, &mut out, &mut codes);
    let prices: Vec<f64> = (0..STRIKES).map(|i| out[i * GREEKS_STRIDE]).collect();
    let ivs = chain(true, &prices);
    let mut vols = vec![0.0; STRIKES];

    let greeks_per_s = rate(|| { black_box(greeks_batch(black_box(&pricing), &mut out, &mut codes)); }, STRIKES);
    let core_iv_per_s = rate(|| { black_box(implied_vol_batch(black_box(&ivs), &mut vols, &mut codes)); }, STRIKES);
    // The crate alone, on the same undiscounted prices and forwards (what the core hands it).
    let df = (-0.03f64 * 0.25).exp();
    let fwd = 100.0 * ((0.03f64 - 0.01) * 0.25).exp();
    let crate_rows: Vec<(f64, f64, bool)> = (0..STRIKES).map(|i| (prices[i] / df, ivs[i * IV_INPUT_STRIDE + 3], i % 2 == 0)).collect();
    let crate_iv_per_s = rate(
        || {
            for &(p, k, call) in &crate_rows {
                let b = ImpliedBlackVolatility::builder().option_price(p).forward(fwd).strike(k).expiry(0.25).is_call(call).build_unchecked();
                black_box(b.calculate::<DefaultSpecialFn>());
            }
        },
        STRIKES,
    );
    println!("{{\"crateIvPerSec\":{crate_iv_per_s:.0},\"coreIvPerSec\":{core_iv_per_s:.0},\"coreGreeksPerSec\":{greeks_per_s:.0}}}");
}
