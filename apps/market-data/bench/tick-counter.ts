// Child process of the benchmark: subscribes to every tick topic, counts ticks and sequence gaps.
import { decodeTickFrame } from '@hft/messages';
import { Subscriber } from '@hft/transport';

const [endpoint, name] = [process.argv[2]!, process.argv[3]!];
let ticks = 0;
let gaps = 0;
const last = new Map<string, number>();
const sub = new Subscriber({ stream: 'ticks', endpoint, topics: ['md.tick.'], consumer: name });
sub.start((_topic, [body]) => {
  const r = decodeTickFrame(body!);
  if (!r.ok) return;
  for (const t of r.value.ticks) {
    const prev = last.get(t.symbol) ?? 0;
    if (t.seq !== prev + 1) gaps++;
    last.set(t.symbol, t.seq);
    ticks++;
  }
});
process.send!('ready');
process.on('message', () => {
  // Let in-flight frames arrive before reporting.
  setTimeout(() => {
    process.send!({ ticks, gaps }, () => {
      void sub.close().then(() => process.exit(0));
    });
  }, 300);
});
