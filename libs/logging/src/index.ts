export { createLogger, moduleLogger, type Logger, type LoggerSettings } from './logger.js';
