export { OPEN_STATUSES, TERMINAL_STATUSES, isOpen, isTerminal, type OpenStatus, type TerminalStatus } from './order-status.js';
export { canTransition, ALL_TRANSITIONS } from './transitions.js';
export { toUnits, fromUnits, averagePrice, AVG_PX_EXTRA_DECIMALS } from './units.js';
export { Order, type OrderSpec, type OrderState, type Applied } from './order.js';
export { OrderRegistry } from './order-registry.js';
export { OrderManager, ManagedOrder, type Outcome, type VenueCommand, type ManagerOptions } from './order-manager.js';
export type { LedgerRecord, NewOrderRow, OrderProjection, PositionSnapshot } from './ledger-records.js';
