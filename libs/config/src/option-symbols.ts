// Contract symbols. The wire carries 16 ASCII characters per symbol, so contracts get a compact
// symbol <ROOT><YYMMDD><C|P><STRIKE> (AAPL260320C187.5); the 21-character OCC symbol is kept for
// display and for venues that want it (OCC: root padded to 6, strike x 1000 in 8 digits).

export type OptionRight = 'call' | 'put';

/** Strike as the shortest exact decimal text: 187.5, 190, 0.125. */
export function strikeText(strikeUnits: number, decimals: number): string {
  if (decimals === 0) return String(strikeUnits);
  const s = String(strikeUnits).padStart(decimals + 1, '0');
  const frac = s.slice(-decimals).replace(/0+$/, '');
  return frac ? `${s.slice(0, -decimals)}.${frac}` : s.slice(0, -decimals);
}

const yymmdd = (expiry: string): string => expiry.slice(2, 4) + expiry.slice(5, 7) + expiry.slice(8, 10);
const letter = (right: OptionRight): string => (right === 'call' ? 'C' : 'P');

export function contractSymbol(root: string, expiry: string, right: OptionRight, strikeUnits: number, decimals: number): string {
  return `${root}${yymmdd(expiry)}${letter(right)}${strikeText(strikeUnits, decimals)}`;
}

/** OCC/OSI symbol, e.g. "AAPL  260320C00187500"; null when the strike does not fit its 8 digits. */
export function occSymbol(root: string, expiry: string, right: OptionRight, strike: number): string | null {
  const milli = Math.round(strike * 1000);
  if (root.length > 6 || milli >= 1e8) return null;
  return `${root.padEnd(6, ' ')}${yymmdd(expiry)}${letter(right)}${String(milli).padStart(8, '0')}`;
}
