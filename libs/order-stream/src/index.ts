export { OmsReader, type OrderStreamSource } from './oms-reader.js';
export { OrderEventFeed, type OrderEventFeedOptions } from './order-event-feed.js';
