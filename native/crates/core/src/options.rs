//! European option pricing for the options desk: Black-Scholes-Merton (continuous dividend yield) and
//! Black-76 (options on a forward/future), price and greeks to second order, and implied volatility
//! through Jäckel's "Let's Be Rational" (the MIT `implied-vol` crate). Batches of rows in, rows out;
//! a row the model cannot price comes back as a code in its own slot, never as a panic or a NaN.

use implied_vol::{DefaultSpecialFn, ImpliedBlackVolatility, SpecialFn};

/// f64 slots per pricing input row: `[model, right, spot_or_forward, strike, years, rate, dividend_yield, vol]`.
pub const OPTION_INPUT_STRIDE: usize = 8;
/// f64 slots per greeks output row (see `Greeks`, in field order).
pub const GREEKS_STRIDE: usize = 10;
/// f64 slots per implied-vol input row: `[model, right, spot_or_forward, strike, years, rate, dividend_yield, price]`.
pub const IV_INPUT_STRIDE: usize = 8;

/// Model of a row: 0 = Black-Scholes-Merton on a spot with dividend yield, 1 = Black-76 on a forward.
pub const MODEL_BSM: f64 = 0.0;
pub const MODEL_BLACK76: f64 = 1.0;
/// Right of a row: 0 = call, 1 = put.
pub const RIGHT_CALL: f64 = 0.0;
pub const RIGHT_PUT: f64 = 1.0;

/// Per-row outcome codes. Part of the binding ABI: never renumber, only append.
#[repr(u8)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OptionCode {
    Ok = 0,
    /// Model field is not 0 (BSM) or 1 (Black-76), or right is not 0 (call) or 1 (put).
    BadKind = 1,
    /// Spot/forward or strike is not a finite positive number.
    BadUnderlyingOrStrike = 2,
    /// Time to expiry is NaN, negative or infinite.
    BadTime = 3,
    /// Time to expiry is zero: the option is its intrinsic value; greeks are undefined.
    ZeroTime = 4,
    /// Rate or dividend yield is not finite.
    BadRate = 5,
    /// Volatility is NaN, negative or infinite.
    BadVol = 6,
    /// Implied vol: the price is not finite or not positive.
    BadPrice = 7,
    /// Implied vol: the price is below the option's intrinsic (discounted) value: no volatility fits.
    BelowIntrinsic = 8,
    /// Implied vol: the price is at or above the no-arbitrage maximum (spot for a call, strike for a put).
    AboveMaximum = 9,
}

impl OptionCode {
    pub const ALL: [OptionCode; 10] = [
        OptionCode::Ok,
        OptionCode::BadKind,
        OptionCode::BadUnderlyingOrStrike,
        OptionCode::BadTime,
        OptionCode::ZeroTime,
        OptionCode::BadRate,
        OptionCode::BadVol,
        OptionCode::BadPrice,
        OptionCode::BelowIntrinsic,
        OptionCode::AboveMaximum,
    ];

    pub fn name(self) -> &'static str {
        match self {
            OptionCode::Ok => "OK",
            OptionCode::BadKind => "BAD_KIND",
            OptionCode::BadUnderlyingOrStrike => "BAD_UNDERLYING_OR_STRIKE",
            OptionCode::BadTime => "BAD_TIME",
            OptionCode::ZeroTime => "ZERO_TIME",
            OptionCode::BadRate => "BAD_RATE",
            OptionCode::BadVol => "BAD_VOL",
            OptionCode::BadPrice => "BAD_PRICE",
            OptionCode::BelowIntrinsic => "BELOW_INTRINSIC",
            OptionCode::AboveMaximum => "ABOVE_MAXIMUM",
        }
    }
}

/// Price and sensitivities of one option. Theta and charm are per year of calendar time (the change as
/// time passes, i.e. minus the derivative in time to expiry; theta_day = theta / 365), vega/vomma per 1.00 of vol, rho per 1.00 of rate; Black-76 delta/gamma are with
/// respect to the forward.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Greeks {
    pub price: f64,
    pub delta: f64,
    pub gamma: f64,
    pub theta: f64,
    pub vega: f64,
    pub rho: f64,
    pub vanna: f64,
    pub charm: f64,
    pub vomma: f64,
    /// Theta per calendar day (theta / 365).
    pub theta_day: f64,
}

impl Greeks {
    fn write(&self, out: &mut [f64]) {
        out[..GREEKS_STRIDE].copy_from_slice(&[self.price, self.delta, self.gamma, self.theta, self.vega, self.rho, self.vanna, self.charm, self.vomma, self.theta_day]);
    }
}

/// One option's contract and market, in model terms.
#[derive(Clone, Copy, Debug)]
pub struct OptionInput {
    pub black76: bool,
    pub call: bool,
    /// Spot (BSM) or forward (Black-76).
    pub underlying: f64,
    pub strike: f64,
    /// Years to expiry.
    pub years: f64,
    /// Continuously compounded risk-free rate.
    pub rate: f64,
    /// Continuous dividend yield (BSM only; Black-76 ignores it).
    pub dividend: f64,
}

#[inline]
fn cdf(x: f64) -> f64 {
    DefaultSpecialFn::norm_cdf(x)
}

#[inline]
fn pdf(x: f64) -> f64 {
    const INV_SQRT_2PI: f64 = 0.398_942_280_401_432_7;
    INV_SQRT_2PI * (-0.5 * x * x).exp()
}

fn check_market(o: &OptionInput) -> Result<(), OptionCode> {
    if !(o.underlying.is_finite() && o.underlying > 0.0 && o.strike.is_finite() && o.strike > 0.0) {
        return Err(OptionCode::BadUnderlyingOrStrike);
    }
    if !(o.years.is_finite() && o.years >= 0.0) {
        return Err(OptionCode::BadTime);
    }
    if !(o.rate.is_finite() && o.dividend.is_finite()) {
        return Err(OptionCode::BadRate);
    }
    Ok(())
}

/// (forward, discount factor of the payoff, carry discount of the underlying) for a row.
#[inline]
fn forward_terms(o: &OptionInput) -> (f64, f64, f64) {
    let df = (-o.rate * o.years).exp();
    if o.black76 {
        (o.underlying, df, df)
    } else {
        let carry = (-o.dividend * o.years).exp();
        (o.underlying * carry / df, df, carry)
    }
}

/// Price and greeks; the option's intrinsic value with `ZeroTime` at expiry.
pub fn greeks(o: &OptionInput, vol: f64) -> Result<Greeks, (OptionCode, f64)> {
    check_market(o).map_err(|c| (c, f64::NAN))?;
    if !(vol.is_finite() && vol >= 0.0) {
        return Err((OptionCode::BadVol, f64::NAN));
    }
    let (f, df, carry) = forward_terms(o);
    let k = o.strike;
    let t = o.years;
    if t == 0.0 {
        let intrinsic = if o.call { (o.underlying - k).max(0.0) } else { (k - o.underlying).max(0.0) };
        return Err((OptionCode::ZeroTime, intrinsic));
    }
    if vol == 0.0 {
        // Deterministic forward: the discounted intrinsic value of the forward; greeks of a step.
        let price = df * if o.call { (f - k).max(0.0) } else { (k - f).max(0.0) };
        return Ok(Greeks { price, ..Greeks::default() });
    }
    let sqrt_t = t.sqrt();
    let sd = vol * sqrt_t;
    let d1 = ((f / k).ln() + 0.5 * sd * sd) / sd;
    let d2 = d1 - sd;
    let (s, q, r) = (o.underlying, if o.black76 { o.rate } else { o.dividend }, o.rate);
    let nd1 = pdf(d1);
    // Call and put through N(x) and N(-x) directly (no 1 - N: full precision in the tails).
    let (n1, n2, sign) = if o.call { (cdf(d1), cdf(d2), 1.0) } else { (cdf(-d1), cdf(-d2), -1.0) };
    let price = sign * (s * carry * n1 - k * df * n2);
    let delta = sign * carry * n1;
    let gamma = carry * nd1 / (s * sd);
    let vega = s * carry * nd1 * sqrt_t;
    let theta = -s * carry * nd1 * vol / (2.0 * sqrt_t) + sign * (q * s * carry * n1 - r * k * df * n2);
    let rho = if o.black76 { -t * price } else { sign * k * t * df * n2 };
    let vanna = -carry * nd1 * d2 / vol;
    // Charm = -dDelta/d(time to expiry); Black-76 is BSM on the forward with q = r (no carry).
    let charm = sign * q * carry * n1 - carry * nd1 * (2.0 * (r - q) * t - d2 * sd) / (2.0 * t * sd);
    let vomma = vega * d1 * d2 / vol;
    Ok(Greeks { price, delta, gamma, theta, vega, rho, vanna, charm, vomma, theta_day: theta / 365.0 })
}

/// Implied volatility of a (discounted) option price, to full double precision.
pub fn implied_vol(o: &OptionInput, price: f64) -> Result<f64, OptionCode> {
    check_market(o)?;
    if o.years == 0.0 {
        return Err(OptionCode::ZeroTime);
    }
    if !(price.is_finite() && price > 0.0) {
        return Err(OptionCode::BadPrice);
    }
    let (f, df, _) = forward_terms(o);
    let undiscounted = price / df;
    let intrinsic = if o.call { (f - o.strike).max(0.0) } else { (o.strike - f).max(0.0) };
    let maximum = if o.call { f } else { o.strike };
    if undiscounted < intrinsic {
        return Err(OptionCode::BelowIntrinsic);
    }
    if undiscounted >= maximum {
        return Err(OptionCode::AboveMaximum);
    }
    // Inputs were validated above (finite positive F, K, T; price between intrinsic and maximum): not again.
    ImpliedBlackVolatility::builder()
        .option_price(undiscounted)
        .forward(f)
        .strike(o.strike)
        .expiry(o.years)
        .is_call(o.call)
        .build_unchecked()
        .calculate::<DefaultSpecialFn>()
        .filter(|v| v.is_finite())
        .ok_or(if undiscounted <= intrinsic { OptionCode::BelowIntrinsic } else { OptionCode::AboveMaximum })
}

fn decode_row(row: &[f64]) -> Result<OptionInput, OptionCode> {
    let model = row[0];
    let right = row[1];
    if !(model == MODEL_BSM || model == MODEL_BLACK76) || !(right == RIGHT_CALL || right == RIGHT_PUT) {
        return Err(OptionCode::BadKind);
    }
    Ok(OptionInput { black76: model == MODEL_BLACK76, call: right == RIGHT_CALL, underlying: row[2], strike: row[3], years: row[4], rate: row[5], dividend: row[6] })
}

/// Price and greeks for every row of `input` (OPTION_INPUT_STRIDE each) into `out` (GREEKS_STRIDE
/// each) and `codes` (one each). A refused row gets NaN greeks, except at zero time where the price
/// slot holds the intrinsic value. Returns the number of rows priced OK.
pub fn greeks_batch(input: &[f64], out: &mut [f64], codes: &mut [u8]) -> usize {
    let rows = (input.len() / OPTION_INPUT_STRIDE).min(out.len() / GREEKS_STRIDE).min(codes.len());
    let mut ok = 0;
    for i in 0..rows {
        let row = &input[i * OPTION_INPUT_STRIDE..(i + 1) * OPTION_INPUT_STRIDE];
        let slot = &mut out[i * GREEKS_STRIDE..(i + 1) * GREEKS_STRIDE];
        match decode_row(row).map_err(|c| (c, f64::NAN)).and_then(|o| greeks(&o, row[7])) {
            Ok(g) => {
                g.write(slot);
                codes[i] = OptionCode::Ok as u8;
                ok += 1;
            }
            Err((code, price)) => {
                slot.fill(f64::NAN);
                slot[0] = price;
                codes[i] = code as u8;
            }
        }
    }
    ok
}

/// Implied volatility for every row of `input` (IV_INPUT_STRIDE each) into `out` (one each, NaN when
/// refused) and `codes`. Returns the number of rows solved.
pub fn implied_vol_batch(input: &[f64], out: &mut [f64], codes: &mut [u8]) -> usize {
    let rows = (input.len() / IV_INPUT_STRIDE).min(out.len()).min(codes.len());
    let mut ok = 0;
    for i in 0..rows {
        let row = &input[i * IV_INPUT_STRIDE..(i + 1) * IV_INPUT_STRIDE];
        match decode_row(row).and_then(|o| implied_vol(&o, row[7])) {
            Ok(v) => {
                out[i] = v;
                codes[i] = OptionCode::Ok as u8;
                ok += 1;
            }
            Err(c) => {
                out[i] = f64::NAN;
                codes[i] = c as u8;
            }
        }
    }
    ok
}
