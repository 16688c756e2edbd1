export { HftError, defineError, withCause, errorMessage, type ErrorFactory } from './hft-error.js';
