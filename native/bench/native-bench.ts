// Native core benchmark: book updates/s and matching orders/s through the binding with batching,
// the boundary cost, and the ratio against the pure-TypeScript book run in the same process.
// Run: npx nx run native:bench   (or: node native/dist/bench/native-bench.js [--json])

import { L2BookSet, MatchingEngine, noop, noopBatch } from '../src/index.js';
import { commandBatches } from './command-stream.js';
import { itchBench } from './itch-bench.js';
import { optionBench } from './option-bench.js';
import { timeIt } from './time-it.js';
import { TsL2BookSet } from './ts-l2-book-set.js';
import { l2UpdateStream } from './update-stream.js';

const BOOKS = 8;
const UPDATES = 2_000_000;
const BATCH = 1024;
const ROUNDS = 5;


function batchesOf(stream: Float64Array, records: number, stride: number): Float64Array[] {
  const out: Float64Array[] = [];
  for (let i = 0; i < stream.length; i += records * stride) out.push(stream.subarray(i, i + records * stride));
  return out;
}

const stream = l2UpdateStream(UPDATES, BOOKS);
const batches = batchesOf(stream, BATCH, 4);
const singles = batchesOf(stream.subarray(0, 200_000 * 4), 1, 4);

let nativeSet = new L2BookSet();
const nativeNs = timeIt(
  ROUNDS,
  () => {
    nativeSet = new L2BookSet();
    for (let b = 0; b < BOOKS; b++) nativeSet.addBook(1, 1);
  },
  () => {
    for (const batch of batches) nativeSet.apply(batch);
  },
);
const nativeSingleNs = timeIt(
  ROUNDS,
  () => {
    nativeSet = new L2BookSet();
    for (let b = 0; b < BOOKS; b++) nativeSet.addBook(1, 1);
  },
  () => {
    for (const one of singles) nativeSet.apply(one);
  },
);

let tsSet = new TsL2BookSet();
const tsNs = timeIt(
  ROUNDS,
  () => {
    tsSet = new TsL2BookSet();
    for (let b = 0; b < BOOKS; b++) tsSet.addBook(1, 1);
  },
  () => {
    for (const batch of batches) tsSet.apply(batch);
  },
);

const NOOPS = 5_000_000;
const noopNs = timeIt(ROUNDS, () => {}, () => {
  for (let i = 0; i < NOOPS; i++) noop();
});
const small = new Float64Array(BATCH * 4);
const noopBatchNs = timeIt(ROUNDS, () => {}, () => {
  for (let i = 0; i < NOOPS; i++) noopBatch(small);
});
const emptyLoopNs = timeIt(ROUNDS, () => {}, () => {
  let x = 0;
  for (let i = 0; i < NOOPS; i++) x += i & 1;
  if (x < 0) console.log(x);
});

const COMMANDS = 1_000_000;
const flow = commandBatches(COMMANDS, BATCH);
let engine = new MatchingEngine();
let events = 0;
const matchNs = timeIt(
  ROUNDS,
  () => {
    engine = new MatchingEngine();
    engine.addBook(1, 1);
    events = 0;
  },
  () => {
    for (const batch of flow.batches) events += engine.process(batch).length / 8;
  },
);

const perS = (n: number, ns: number): number => (n / ns) * 1e9;
const nativeUps = perS(UPDATES, nativeNs);
const tsUps = perS(UPDATES, tsNs);
const result = {
  bookUpdatesPerSecNative: Math.round(nativeUps),
  bookUpdatesPerSecNativeUnbatched: Math.round(perS(singles.length, nativeSingleNs)),
  bookUpdatesPerSecTypeScript: Math.round(tsUps),
  nativeVsTypeScript: +(nativeUps / tsUps).toFixed(2),
  noopCallNs: +((noopNs - emptyLoopNs) / NOOPS).toFixed(1),
  noopBatchCallNs: +((noopBatchNs - emptyLoopNs) / NOOPS).toFixed(1),
  matchingCommandsPerSec: Math.round(perS(COMMANDS, matchNs)),
  matchingOrdersPerSec: Math.round(perS(flow.orders, matchNs)),
  matchingNsPerCommand: +(matchNs / COMMANDS).toFixed(1),
  eventsPerCommand: +(events / COMMANDS).toFixed(2),
  options: optionBench(),
  itch: itchBench(),
};

if (process.argv.includes('--json')) {
  console.log(JSON.stringify(result));
} else {
  const fmt = (n: number): string => n.toLocaleString('en-US');
  console.log(`native core benchmark (node ${process.version}, ${BOOKS} books, batches of ${BATCH}, median of ${ROUNDS})`);
  console.log(`  L2 book updates/s, native, batched     ${fmt(result.bookUpdatesPerSecNative)}`);
  console.log(`  L2 book updates/s, native, 1 per call  ${fmt(result.bookUpdatesPerSecNativeUnbatched)}`);
  console.log(`  L2 book updates/s, pure TypeScript     ${fmt(result.bookUpdatesPerSecTypeScript)}`);
  console.log(`  native / TypeScript                    ${result.nativeVsTypeScript}x`);
  console.log(`  no-op call                             ${result.noopCallNs} ns`);
  console.log(`  no-op call with a ${BATCH}-record batch   ${result.noopBatchCallNs} ns`);
  console.log(`  matching: commands/s                   ${fmt(result.matchingCommandsPerSec)} (${fmt(result.matchingOrdersPerSec)} new orders/s, ${result.matchingNsPerCommand} ns/command, ${result.eventsPerCommand} events/command)`);
  const o = result.options;
  const ratio = (a: number, b: number | null): string => (b ? `${(a / b).toFixed(2)}x` : 'n/a');
  console.log('  options, a 200-strike chain per call (BSM, 3 months, smile; calls and puts):');
  console.log(`    full greeks/s, binding               ${fmt(o.greeksPerSecBinding)}  (${ratio(o.greeksPerSecBinding, o.greeksPerSecTypeScript)} the TypeScript pricer's ${fmt(o.greeksPerSecTypeScript)}; ${ratio(o.greeksPerSecBinding, o.greeksPerSecCoreFromRust)} the core's own rate from Rust)`);
  console.log(`    implied vols/s, binding              ${fmt(o.ivPerSecBinding)}  (${ratio(o.ivPerSecBinding, o.ivPerSecTypeScript)} TypeScript Newton's ${fmt(o.ivPerSecTypeScript)}; ${ratio(o.ivPerSecBinding, o.ivPerSecCrateFromRust)} the implied-vol crate from Rust, ${o.ivPerSecCrateFromRust ? fmt(o.ivPerSecCrateFromRust) : 'n/a'})`);
  console.log('    goals: binding >= 0.8x the crate from Rust, >= 5x TypeScript');
  const i = result.itch;
  console.log(`  ITCH 5.0, ${fmt(i.messages)} messages (${(i.bytes / 1e6).toFixed(1)} MB, 8 stocks), pushed in 256 KiB chunks:`);
  console.log(`    framed + decoded only (itchScan)     ${fmt(i.parseOnlyPerSec)} messages/s`);
  console.log(`    + applied to order-level books       ${fmt(i.appliedPerSec)} messages/s = ${i.appliedNsPerMessage} ns/message, ${i.recordsPerMessage} records/message out`);
  console.log(`    applied / parse alone                ${i.appliedVsParseOnly}x`);
  console.log(`    the core alone, from Rust            ${i.coreFromRustNsPerMessage ?? 'n/a'} ns/message   (for scale: a C++ ITCH book builder reports ~61 ns/message)`);
}
