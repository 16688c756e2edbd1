export { OmsReader, type OrderStreamSource } from './oms-reader.js';
export { OrderEventFeed, followOrderEvents, type OrderEventFeedOptions } from './order-event-feed.js';
