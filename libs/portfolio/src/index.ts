export { Position, type FillSide, type PositionState } from './position.js';
export { PositionBook } from './position-book.js';
