import { TICK_FORMATS } from '@hft/config';
import { defineError } from '@hft/errors';

export const ERR_MD_FILE_MISSING = defineError('HFT_MD_FILE_MISSING', (path: string) => ({
  message: `tick file not found: ${path}`,
  details: { path },
}));

export const ERR_MD_FILE_EMPTY = defineError('HFT_MD_FILE_EMPTY', (path: string) => ({
  message: `tick file is empty: ${path} (no rows to replay)`,
  details: { path },
}));

export const ERR_MD_FORMAT_UNKNOWN = defineError('HFT_MD_FORMAT_UNKNOWN', (path: string, firstLine: string) => ({
  message: `cannot tell the format of ${path} from its first line ${JSON.stringify(firstLine.slice(0, 120))}: pass --format ${TICK_FORMATS.filter((f) => f !== 'auto').join('|')}`,
  details: { path },
}));

export const ERR_MD_MISSING_COLUMNS = defineError('HFT_MD_MISSING_COLUMNS', (path: string, format: string, missing: string[]) => ({
  message: `${path}: the header lacks the ${format} column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (columns are found by name)`,
  details: { path, format, missing },
}));

export const ERR_MD_NO_SYMBOL = defineError('HFT_MD_NO_SYMBOL', (path: string, format: string) => ({
  message: `${path}: ${format} files carry no symbol and none could be derived from the file name; name it with ${path}@SYMBOL`,
  details: { path, format },
}));

export const ERR_MD_BAD_ROW = defineError('HFT_MD_BAD_ROW', (file: string, line: number, reason: string, detail: string) => ({
  message: `${file}:${line}: ${reason}: ${detail} (--strict aborts on the first bad row)`,
  details: { file, line, reason },
}));

export const ERR_MD_NO_DATE = defineError('HFT_MD_NO_DATE', (path: string) => ({
  message: `${path}: ITCH timestamps count nanoseconds from midnight, and the trading day is not in the file name (MMDDYYYY.NASDAQ_ITCH50): give it as date = "YYYY-MM-DD" in the [[market_data.files]] entry or --itch-date`,
  details: { path },
}));

export const ERR_CATALOG_EMPTY = defineError('HFT_CATALOG_EMPTY', (root: string, wanted: string) => ({
  message: `the tick catalog ${root} has no partition ${wanted} (hft catalog list shows what it holds; hft catalog import FILE adds to it)`,
  details: { root, wanted },
}));

export const ERR_CATALOG_BAD_PARTITION = defineError('HFT_CATALOG_BAD_PARTITION', (path: string, why: string) => ({
  message: `${path}: not a readable catalog partition: ${why} (re-import its source files with hft catalog import)`,
  details: { path, why },
}));
