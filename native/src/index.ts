// Hand-written front of the native core. The generated binding (binding/index.d.ts) stays behind it.
export { L2BookSet, MatchingEngine, noop, noopBatch, type L2BookStats } from '#binding';
export * from './layout.js';
export { rejectName, allRejectNames } from './reject-codes.js';
export { RecordBuffer } from './record-buffer.js';
export { L2UpdateBatch } from './l2-update-batch.js';
export { CommandBatch, type NewOrderFields } from './command-batch.js';
export { decodeEvents, type ExecEvent } from './exec-events.js';
export { readLevels, levelsBuffer, type Level, type BookLevels } from './book-levels.js';
export { OptionBatch, optionCodeName, GREEK_NAMES, type OptionRow, type OptionGreeks, type OptionModel, type OptionRight } from './option-batch.js';
export { ItchReplay, ItchKind, ItchRec, ITCH_RECORD_STRIDE, itchScan, itchCodeName, allItchCodeNames, type ItchCounts, type ItchScan } from './itch.js';
