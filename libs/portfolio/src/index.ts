export { Position, AVG_PX_EXTRA_DECIMALS, type FillSide, type PositionScales, type PositionState } from './position.js';
export { PositionBook } from './position-book.js';
