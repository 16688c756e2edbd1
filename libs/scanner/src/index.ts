export { Scanner, type ScanResult } from './scanner.js';
export { priorDays, type MinuteBar, type PriorDays } from './minute-bar.js';
export { scannerWeights, type ScannerSettings } from './scanner-settings.js';
