export { Position, type FillSide } from './position.js';
