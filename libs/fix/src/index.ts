export { Tag, MsgType, ADMIN_TYPES, FIX44_MSG_TYPES, SessionRejectReason, BusinessRejectReason } from './fix-tags.js';
export { FixMessage, encodeFix, fixTime, parseFixTime, showFix, SOH } from './fix-message.js';
export { FixFramer, type Frame, type Garbled } from './fix-framer.js';
export { FileSessionStore, type StoreRecord } from './session-store.js';
export { FixSession, type FixTransport, type SessionApplication, type SessionEvents, type SessionSettings, type Handled, type SessionRefusal } from './fix-session.js';
