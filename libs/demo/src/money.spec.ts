import { decimalToMinor } from './money';

describe('decimalToMinor', () => {
  it.each([
    ['3.86', 386],
    ['12', 1200],
    ['0.5', 50],
    ['.75', 75],
    ['0', 0],
    ['1.005', 101],
    ['1.004', 100],
    ['2.675', 268],
    ['0.29', 29],
    ['8.07', 807],
    ['-1.5', -150],
    ['-0.004', 0],
    ['4.440892e-16', 0],
    ['1.5e2', 15000],
    [' 7.10 ', 710],
  ])('%s → %i', (text, minor) => {
    expect(decimalToMinor(text)).toBe(minor);
  });

  it('supports other exponents of the minor unit', () => {
    expect(decimalToMinor('1.2345', 3)).toBe(1235);
    expect(decimalToMinor('5', 0)).toBe(5);
  });

  it.each(['', 'abc', '.', '-', '1,5', 'NaN', 'Infinity'])('rejects %j', (text) => {
    expect(() => decimalToMinor(text)).toThrow(RangeError);
  });

  it('agrees with exact cents for every 2-decimal value (no float drift)', () => {
    for (let cents = 0; cents < 100_000; cents += 7) {
      const text = `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
      expect(decimalToMinor(text)).toBe(cents);
    }
  });
});
