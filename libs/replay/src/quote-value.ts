/** Longest prefix of an offending value a warning quotes: a 10 MB field must not become a 10 MB log line. */
export const QUOTE_MAX = 40;

/** `s` as a JSON string for a message, cut to QUOTE_MAX characters with its full length said. */
export function quoteValue(s: string | undefined): string {
  if (s === undefined) return 'nothing';
  return s.length <= QUOTE_MAX ? JSON.stringify(s) : `${JSON.stringify(s.slice(0, QUOTE_MAX))}... (${s.length} characters)`;
}
