const PLAIN_DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?$/;

/**
 * Converts a decimal amount written as text ("3.86", "12", "0.5", "4.440892e-16") to integer
 * minor units, rounding half away from zero on the digits themselves, never through binary
 * floating point (so "1.005" is 101, not 100).
 */
export function decimalToMinor(text: string, decimals = 2): number {
  let value = text.trim();
  if (value === '') throw new RangeError('empty amount');
  if (!PLAIN_DECIMAL.test(value) || /^[+-]?\.?$/.test(value)) {
    // Exponent notation (an artefact of float export): normalise through a fixed-point string.
    const parsed = Number(value);
    if (!Number.isFinite(parsed))
      throw new RangeError(`not a decimal amount: ${JSON.stringify(text)}`);
    value = parsed.toFixed(decimals + 6);
  }
  const [, sign, whole = '', fraction = ''] = PLAIN_DECIMAL.exec(value) ?? [];
  const digits = fraction.padEnd(decimals + 1, '0');
  let minor = Number(whole || '0') * 10 ** decimals + Number(digits.slice(0, decimals) || '0');
  if (Number(digits[decimals]) >= 5) minor += 1;
  if (!Number.isSafeInteger(minor))
    throw new RangeError(`amount out of range: ${JSON.stringify(text)}`);
  return sign === '-' && minor !== 0 ? -minor : minor;
}
