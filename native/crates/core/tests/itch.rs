//! ITCH 5.0 replay: messages encoded here byte by byte from the specification's layouts, so the
//! decoder is checked against the spec rather than against itself.

use hft_core::itch::{itch_kind as kind, ItchCode, ItchReplay, ITCH_RECORD_STRIDE};

fn header(t: u8, locate: u16, ts: u64, out: &mut Vec<u8>) {
    out.push(t);
    out.extend_from_slice(&locate.to_be_bytes());
    out.extend_from_slice(&0u16.to_be_bytes());
    out.extend_from_slice(&ts.to_be_bytes()[2..]);
}

fn stock(s: &str) -> [u8; 8] {
    let mut b = [b' '; 8];
    b[..s.len()].copy_from_slice(s.as_bytes());
    b
}

fn frame(body: Vec<u8>, file: &mut Vec<u8>) {
    file.extend_from_slice(&(body.len() as u16).to_be_bytes());
    file.extend_from_slice(&body);
}

struct File {
    bytes: Vec<u8>,
    ts: u64,
}

impl File {
    fn new() -> File {
        File { bytes: Vec::new(), ts: 34_200_000_000_000 }
    }
    fn msg(&mut self, t: u8, locate: u16, fields: &[u8]) {
        self.ts += 1000;
        let mut b = Vec::new();
        header(t, locate, self.ts, &mut b);
        b.extend_from_slice(fields);
        frame(b, &mut self.bytes);
    }
    fn directory(&mut self, locate: u16, sym: &str) {
        let mut f = stock(sym).to_vec();
        f.extend_from_slice(b"QN");
        f.extend_from_slice(&100u32.to_be_bytes());
        f.extend_from_slice(b"NCZ PN 1N");
        f.extend_from_slice(&0u32.to_be_bytes());
        f.push(b'N');
        self.msg(b'R', locate, &f);
    }
    fn add_fields(r: u64, side: u8, shares: u32, sym: &str, price: u32) -> Vec<u8> {
        let mut f = r.to_be_bytes().to_vec();
        f.push(side);
        f.extend_from_slice(&shares.to_be_bytes());
        f.extend_from_slice(&stock(sym));
        f.extend_from_slice(&price.to_be_bytes());
        f
    }
    fn add(&mut self, locate: u16, r: u64, side: u8, shares: u32, sym: &str, price: u32) {
        self.msg(b'A', locate, &File::add_fields(r, side, shares, sym, price));
    }
    fn add_mpid(&mut self, locate: u16, r: u64, side: u8, shares: u32, sym: &str, price: u32) {
        let mut f = File::add_fields(r, side, shares, sym, price);
        f.extend_from_slice(b"GSCO");
        self.msg(b'F', locate, &f);
    }
    fn exec(&mut self, locate: u16, r: u64, shares: u32, m: u64) {
        let mut f = r.to_be_bytes().to_vec();
        f.extend_from_slice(&shares.to_be_bytes());
        f.extend_from_slice(&m.to_be_bytes());
        self.msg(b'E', locate, &f);
    }
    fn exec_px(&mut self, locate: u16, r: u64, shares: u32, m: u64, printable: bool, price: u32) {
        let mut f = r.to_be_bytes().to_vec();
        f.extend_from_slice(&shares.to_be_bytes());
        f.extend_from_slice(&m.to_be_bytes());
        f.push(if printable { b'Y' } else { b'N' });
        f.extend_from_slice(&price.to_be_bytes());
        self.msg(b'C', locate, &f);
    }
    fn cancel(&mut self, locate: u16, r: u64, shares: u32) {
        let mut f = r.to_be_bytes().to_vec();
        f.extend_from_slice(&shares.to_be_bytes());
        self.msg(b'X', locate, &f);
    }
    fn delete(&mut self, locate: u16, r: u64) {
        self.msg(b'D', locate, &r.to_be_bytes());
    }
    fn replace(&mut self, locate: u16, old: u64, new: u64, shares: u32, price: u32) {
        let mut f = old.to_be_bytes().to_vec();
        f.extend_from_slice(&new.to_be_bytes());
        f.extend_from_slice(&shares.to_be_bytes());
        f.extend_from_slice(&price.to_be_bytes());
        self.msg(b'U', locate, &f);
    }
    fn trade(&mut self, locate: u16, side: u8, shares: u32, sym: &str, price: u32, m: u64) {
        let mut f = 0u64.to_be_bytes().to_vec();
        f.push(side);
        f.extend_from_slice(&shares.to_be_bytes());
        f.extend_from_slice(&stock(sym));
        f.extend_from_slice(&price.to_be_bytes());
        f.extend_from_slice(&m.to_be_bytes());
        self.msg(b'P', locate, &f);
    }
    fn cross(&mut self, locate: u16, shares: u64, sym: &str, price: u32, m: u64) {
        let mut f = shares.to_be_bytes().to_vec();
        f.extend_from_slice(&stock(sym));
        f.extend_from_slice(&price.to_be_bytes());
        f.extend_from_slice(&m.to_be_bytes());
        f.push(b'O');
        self.msg(b'Q', locate, &f);
    }
    fn broken(&mut self, locate: u16, m: u64) {
        self.msg(b'B', locate, &m.to_be_bytes());
    }
}

/// Replay `bytes` pushed in chunks of `chunk`, draining into a small buffer; all records, in order.
fn replay(bytes: &[u8], chunk: usize) -> (Vec<[f64; ITCH_RECORD_STRIDE]>, ItchReplay) {
    let mut r = ItchReplay::new();
    assert_eq!(r.subscribe("AAPL", 100, 1, 1), Some(0));
    assert_eq!(r.subscribe("MSFT", 100, 1, 1), Some(1));
    let mut out = vec![0.0; ITCH_RECORD_STRIDE * 3];
    let mut recs = Vec::new();
    let mut take = |r: &mut ItchReplay, recs: &mut Vec<[f64; ITCH_RECORD_STRIDE]>| loop {
        let n = r.drain(&mut out);
        if n == 0 {
            break;
        }
        for c in out[..n * ITCH_RECORD_STRIDE].chunks_exact(ITCH_RECORD_STRIDE) {
            recs.push(c.try_into().unwrap());
        }
    };
    for c in bytes.chunks(chunk) {
        r.push(c);
        take(&mut r, &mut recs);
    }
    r.end();
    take(&mut r, &mut recs);
    (recs, r)
}

fn sample() -> File {
    let mut f = File::new();
    f.msg(b'S', 0, b"O");
    f.directory(7, "AAPL");
    f.directory(8, "ZVZZT");
    f.add(7, 1, b'B', 100, "AAPL", 1_874_000);
    f.add_mpid(7, 2, b'B', 50, "AAPL", 1_874_000);
    f.add(7, 3, b'S', 30, "AAPL", 1_875_000);
    f.add(8, 4, b'S', 999, "ZVZZT", 100_000);
    f.exec(7, 1, 40, 900);
    f.exec_px(7, 2, 10, 901, false, 1_874_100);
    f.cancel(7, 2, 5);
    f.replace(7, 3, 5, 20, 1_876_000);
    f.delete(7, 1);
    f.trade(7, b'B', 15, "AAPL", 1_874_500, 902);
    f.cross(7, 0, "AAPL", 1_874_000, 903);
    f.broken(7, 900);
    f
}

#[test]
fn every_message_type_updates_the_book_as_the_spec_says() {
    let f = sample();
    let (recs, r) = replay(&f.bytes, 1 << 16);
    let got: Vec<(f64, f64, f64, f64, f64)> = recs.iter().map(|x| (x[0], x[1], x[3], x[4], x[5])).collect();
    assert_eq!(
        got,
        vec![
            (kind::SYSTEM_EVENT, -1.0, b'O' as f64, 0.0, 0.0),
            (kind::BID, 0.0, 18740.0, 100.0, 0.0),
            (kind::BID, 0.0, 18740.0, 150.0, 0.0),
            (kind::ASK, 0.0, 18750.0, 30.0, 0.0),
            // E: the trade at the order's price (a seller hit the bid), then the level that lost 40.
            (kind::TRADE, 0.0, 18740.0, 40.0, 2.0),
            (kind::BID, 0.0, 18740.0, 110.0, 0.0),
            // C non-printable: the level changes, no print of its own.
            (kind::BID, 0.0, 18740.0, 100.0, 0.0),
            (kind::BID, 0.0, 18740.0, 95.0, 0.0),
            // U to another price: old level gone, new level.
            (kind::ASK, 0.0, 18750.0, 0.0, 1.0),
            (kind::ASK, 0.0, 18760.0, 20.0, 0.0),
            (kind::BID, 0.0, 18740.0, 35.0, 0.0),
            (kind::TRADE, 0.0, 18745.0, 15.0, 2.0),
            (kind::BROKEN_TRADE, 0.0, 18740.0, 40.0, 2.0),
        ]
    );
    assert_eq!(r.book().top(0, true, 10), vec![(18740, 35)]);
    assert_eq!(r.book().top(0, false, 10), vec![(18760, 20)]);
    let c = r.counts();
    assert_eq!((c.messages, c.skipped, c.refused, c.broken_trades), (15, 1, 0, 1));
    // Offsets and message numbers: the first record is message 1 at offset 0.
    assert_eq!((recs[0][6], recs[0][7]), (1.0, 0.0));
}

#[test]
fn any_chunking_gives_the_same_records() {
    let f = sample();
    let (whole, _) = replay(&f.bytes, 1 << 20);
    for chunk in [1, 2, 3, 7, 13, 40, 41] {
        let (parts, _) = replay(&f.bytes, chunk);
        assert_eq!(parts, whole, "chunk {chunk}");
    }
}

#[test]
fn refused_messages_are_reported_with_offset_and_the_stream_resynchronises() {
    let mut f = File::new();
    f.directory(7, "AAPL");
    f.add(7, 1, b'B', 100, "AAPL", 1_874_000);
    let bad_type_at = f.bytes.len();
    frame(vec![b'Z'; 12], &mut f.bytes);
    let bad_len_at = f.bytes.len();
    let mut short = Vec::new();
    header(b'A', 7, 1, &mut short);
    frame(short, &mut f.bytes);
    f.exec(7, 99, 1, 1); // unknown order
    f.exec(7, 1, 101, 2); // more than open
    f.add(7, 2, b'B', 10, "AAPL", 1_874_050); // finer than the instrument's 2 decimals
    f.add(7, 1, b'S', 10, "AAPL", 1_875_000); // duplicate reference
    f.add(7, 3, b'X', 10, "AAPL", 1_875_000); // bad side
    f.add(7, 4, b'S', 0, "AAPL", 1_875_000); // zero shares
    f.cancel(7, 1, 60);
    let tail_at = f.bytes.len();
    f.bytes.extend_from_slice(&[0, 40, b'A', 0]);
    let (recs, r) = replay(&f.bytes, 5);
    let refused: Vec<(f64, f64, f64)> = recs.iter().filter(|x| x[0] == kind::REFUSED).map(|x| (x[3], x[4], x[7])).collect();
    let code = |c: ItchCode| c.code() as f64;
    assert_eq!(refused[0], (code(ItchCode::UnknownMessageType), b'Z' as f64, bad_type_at as f64));
    assert_eq!(refused[1], (code(ItchCode::LengthMismatch), b'A' as f64, bad_len_at as f64));
    let codes: Vec<f64> = refused[2..].iter().map(|x| x.0).collect();
    assert_eq!(
        codes,
        vec![
            code(ItchCode::UnknownOrder),
            code(ItchCode::ExceedsOpen),
            code(ItchCode::OffTick),
            code(ItchCode::DuplicateOrder),
            code(ItchCode::BadSide),
            code(ItchCode::ZeroShares),
            code(ItchCode::Truncated),
        ]
    );
    assert_eq!(refused.last().unwrap().2, tail_at as f64);
    // Refusals changed nothing: the order keeps 100 - 60.
    assert_eq!(r.book().top(0, true, 10), vec![(18740, 40)]);
    assert_eq!(r.counts().refused, 9);
}

#[test]
fn a_stock_nobody_follows_costs_no_book_state() {
    let mut f = File::new();
    f.directory(3, "ZVZZT");
    for i in 0..1000 {
        f.add(3, i, b'B', 10, "ZVZZT", 100_000);
    }
    let (recs, r) = replay(&f.bytes, 4096);
    assert!(recs.is_empty());
    assert_eq!(r.book().open_orders(), 0);
    assert_eq!(r.counts().skipped, 1000);
}

#[test]
fn scan_frames_and_decodes_without_applying() {
    let f = sample();
    let (ok, bad, _) = hft_core::itch::scan(&f.bytes);
    assert_eq!((ok, bad), (15, 0));
}
