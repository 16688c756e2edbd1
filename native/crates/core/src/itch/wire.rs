//! NASDAQ TotalView-ITCH 5.0 framing and field layout. Files as distributed are a sequence of
//! `[u16 length][message]`, big-endian; every message starts with type(1) locate(2) tracking(2)
//! timestamp(6, ns since midnight). Decoding borrows the bytes: nothing is copied or allocated.

/// Bytes before the fields of every message: type, stock locate, tracking number, timestamp.
pub const HEADER: usize = 11;

/// The size ITCH 5.0 gives each message type (without the 2-byte length prefix); None = not a type.
pub const fn message_len(kind: u8) -> Option<usize> {
    Some(match kind {
        b'S' => 12,
        b'R' => 39,
        b'H' => 25,
        b'Y' => 20,
        b'L' => 26,
        b'V' => 35,
        b'W' => 12,
        b'K' => 28,
        b'J' => 35,
        b'h' => 21,
        b'A' => 36,
        b'F' => 40,
        b'E' => 31,
        b'C' => 36,
        b'X' => 23,
        b'D' => 19,
        b'U' => 35,
        b'P' => 44,
        b'Q' => 40,
        b'B' => 19,
        b'I' => 50,
        b'N' => 20,
        b'O' => 48,
        _ => return None,
    })
}

#[inline]
fn u16_at(b: &[u8], i: usize) -> u16 {
    u16::from_be_bytes([b[i], b[i + 1]])
}
#[inline]
fn u32_at(b: &[u8], i: usize) -> u32 {
    u32::from_be_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]])
}
#[inline]
fn u48_at(b: &[u8], i: usize) -> u64 {
    u64::from_be_bytes([0, 0, b[i], b[i + 1], b[i + 2], b[i + 3], b[i + 4], b[i + 5]])
}
#[inline]
fn u64_at(b: &[u8], i: usize) -> u64 {
    u64::from_be_bytes([b[i], b[i + 1], b[i + 2], b[i + 3], b[i + 4], b[i + 5], b[i + 6], b[i + 7]])
}
#[inline]
fn stock_at(b: &[u8], i: usize) -> [u8; 8] {
    let mut s = [0u8; 8];
    s.copy_from_slice(&b[i..i + 8]);
    s
}

/// The fields the book and the replay use; every other known type is `Other` (framed, checked, skipped).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Body {
    SystemEvent { event: u8 },
    StockDirectory { stock: [u8; 8] },
    TradingAction { stock: [u8; 8], state: u8 },
    /// `A` and `F` (F carries an MPID, which the book does not need).
    AddOrder { reference: u64, side: u8, shares: u32, stock: [u8; 8], price: u32 },
    Executed { reference: u64, shares: u32, match_number: u64 },
    ExecutedWithPrice { reference: u64, shares: u32, match_number: u64, printable: bool, price: u32 },
    Cancel { reference: u64, shares: u32 },
    Delete { reference: u64 },
    Replace { old_reference: u64, new_reference: u64, shares: u32, price: u32 },
    /// `P`: a match against a non-displayed order; `side` is that order's side.
    Trade { side: u8, shares: u32, stock: [u8; 8], price: u32, match_number: u64 },
    /// `Q`: the opening, closing, IPO or halt cross.
    CrossTrade { shares: u64, stock: [u8; 8], price: u32, match_number: u64 },
    BrokenTrade { match_number: u64 },
    Other,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Message {
    pub kind: u8,
    pub locate: u16,
    pub timestamp: u64,
    pub body: Body,
}

/// Why one framed message could not be decoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FrameError {
    UnknownType(u8),
    /// The length prefix disagrees with the size of the message type it frames.
    LengthMismatch { kind: u8, len: usize },
}

/// Decode one message (the bytes after its length prefix, `m.len()` = the prefix's value).
#[inline]
pub fn decode(m: &[u8]) -> Result<Message, FrameError> {
    let kind = *m.first().ok_or(FrameError::LengthMismatch { kind: 0, len: 0 })?;
    let want = message_len(kind).ok_or(FrameError::UnknownType(kind))?;
    if m.len() != want {
        return Err(FrameError::LengthMismatch { kind, len: m.len() });
    }
    let locate = u16_at(m, 1);
    let timestamp = u48_at(m, 5);
    let b = HEADER;
    let body = match kind {
        b'S' => Body::SystemEvent { event: m[b] },
        b'R' => Body::StockDirectory { stock: stock_at(m, b) },
        b'H' => Body::TradingAction { stock: stock_at(m, b), state: m[b + 8] },
        b'A' | b'F' => Body::AddOrder { reference: u64_at(m, b), side: m[b + 8], shares: u32_at(m, b + 9), stock: stock_at(m, b + 13), price: u32_at(m, b + 21) },
        b'E' => Body::Executed { reference: u64_at(m, b), shares: u32_at(m, b + 8), match_number: u64_at(m, b + 12) },
        b'C' => Body::ExecutedWithPrice {
            reference: u64_at(m, b),
            shares: u32_at(m, b + 8),
            match_number: u64_at(m, b + 12),
            printable: m[b + 20] == b'Y',
            price: u32_at(m, b + 21),
        },
        b'X' => Body::Cancel { reference: u64_at(m, b), shares: u32_at(m, b + 8) },
        b'D' => Body::Delete { reference: u64_at(m, b) },
        b'U' => Body::Replace { old_reference: u64_at(m, b), new_reference: u64_at(m, b + 8), shares: u32_at(m, b + 16), price: u32_at(m, b + 20) },
        b'P' => Body::Trade { side: m[b + 8], shares: u32_at(m, b + 9), stock: stock_at(m, b + 13), price: u32_at(m, b + 21), match_number: u64_at(m, b + 25) },
        b'Q' => Body::CrossTrade { shares: u64_at(m, b), stock: stock_at(m, b + 8), price: u32_at(m, b + 16), match_number: u64_at(m, b + 20) },
        b'B' => Body::BrokenTrade { match_number: u64_at(m, b) },
        _ => Body::Other,
    };
    Ok(Message { kind, locate, timestamp, body })
}

/// A symbol as ITCH carries it: 8 bytes, left-justified, space-padded. None when it does not fit.
pub fn pad_stock(symbol: &str) -> Option<[u8; 8]> {
    let s = symbol.as_bytes();
    if s.is_empty() || s.len() > 8 || !s.iter().all(|c| c.is_ascii_graphic()) {
        return None;
    }
    let mut out = [b' '; 8];
    out[..s.len()].copy_from_slice(s);
    Some(out)
}

/// Frame and decode a whole buffer without applying anything: what parsing alone costs. Returns
/// (messages decoded, messages refused, a fold of the fields so the work cannot be optimised away).
pub fn scan(buf: &[u8]) -> (u64, u64, u64) {
    let (mut ok, mut bad, mut fold) = (0u64, 0u64, 0u64);
    let mut at = 0usize;
    while at + 2 <= buf.len() {
        let len = u16_at(buf, at) as usize;
        let end = at + 2 + len;
        if end > buf.len() {
            break;
        }
        match decode(&buf[at + 2..end]) {
            Ok(m) => {
                ok += 1;
                fold = fold.wrapping_add(m.timestamp ^ m.locate as u64);
                if let Body::AddOrder { reference, price, .. } = m.body {
                    fold = fold.wrapping_add(reference ^ price as u64);
                }
            }
            Err(_) => bad += 1,
        }
        at = end;
    }
    (ok, bad, fold)
}
