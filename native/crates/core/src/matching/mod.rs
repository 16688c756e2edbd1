//! L3 price-time priority matching for the exchange simulator.

pub mod engine;
pub mod event;
pub mod order_book;
