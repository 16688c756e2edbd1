// One hop of the transport-floor chain: receive on a SUB or ROUTER, forward the body unchanged on a
// DEALER. Nothing else happens in the handler, so the chain costs only what ZeroMQ and the
// platform's socket wrappers cost. Usage: relay.js <sub|router> <in-endpoint> <out-endpoint>
import { DealerClient, RouterServer, Subscriber } from '@hft/transport';

const [kind, inEp, outEp] = process.argv.slice(2) as ['sub' | 'router', string, string];
const out = new DealerClient({ stream: 'floor-out', endpoint: outEp, identity: `relay-${process.pid}` });
out.start();
if (kind === 'sub') {
  const sub = new Subscriber({ stream: 'floor-in', endpoint: inEp, topics: ['floor'] });
  sub.start((_t, body) => out.trySend(body[0]!));
} else {
  const router = new RouterServer({ stream: 'floor-in', endpoint: inEp });
  await router.start((_peer, body) => out.trySend(body));
}
process.send?.('ready');
process.on('SIGTERM', () => process.exit(0));
