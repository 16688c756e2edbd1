export { SendQueue, type Frames } from './send-queue.js';
export { Publisher, type PublisherOptions } from './publisher.js';
export { Subscriber, type SubscriberOptions, type TopicHandler } from './subscriber.js';
export { RouterServer, type RouterServerOptions, type RouterHandler } from './router-server.js';
export { DealerClient, type DealerClientOptions } from './dealer-client.js';
export { RpcClient } from './rpc-client.js';
export { FrameGuard } from './frame-guard.js';
export { transportMetrics } from './transport-metrics.js';
export * from './errors.js';
