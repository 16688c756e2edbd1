//! NASDAQ TotalView-ITCH 5.0: framing and decoding (`wire`), the order-level book (`order_book`) and
//! the replay that turns a file into level and trade records (`replay`).

pub mod code;
pub mod order_book;
pub mod replay;
pub mod wire;

pub use code::ItchCode;
pub use order_book::{ItchBook, ItchOrder, LevelChange};
pub use replay::{kind as itch_kind, ItchCounts, ItchReplay, FLAG_MORE, ITCH_MAX_RECORDS_PER_MESSAGE, ITCH_RECORD_STRIDE};
pub use wire::{decode, message_len, pad_stock, scan, Body, FrameError, Message};
