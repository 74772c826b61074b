// Money is carried as integer minor units (cents, yen, fils) in plain numbers.
// Products such as amount × rate can pass 2^53 long before the amounts
// themselves do, so every multiply-then-divide goes through BigInt and only a
// checked result comes back as a number.

export type Rounding = 'half_up' | 'half_even';

export const BASIS_POINTS_SCALE = 10_000;

// ISO 4217 minor units. Listing every active code (instead of defaulting to 2)
// lets a typo such as "EUR " or "EUD" fail at configuration time rather than
// silently price in the wrong scale. Fund and metal codes (XAU, XDR, …) have
// no minor unit and cannot price goods, so they are deliberately absent.
const EXPONENT_0 = 'BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF';
const EXPONENT_3 = 'BHD IQD JOD KWD LYD OMR TND';
const EXPONENT_4 = 'CLF UYW';
const EXPONENT_2 =
  'AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV ' +
  'BRL BSD BTN BWP BYN BZD CAD CDF CHE CHF CHW CNY COP COU CRC CUC CUP CVE ' +
  'CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GTQ GYD HKD ' +
  'HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD ' +
  'LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN ' +
  'NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG ' +
  'SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD ' +
  'TWD TZS UAH USD USN UYU UZS VED VES WST XCD XCG YER ZAR ZMW ZWG ZWL';

const CURRENCY_EXPONENTS: ReadonlyMap<string, number> = new Map(
  (
    [
      [EXPONENT_0, 0],
      [EXPONENT_2, 2],
      [EXPONENT_3, 3],
      [EXPONENT_4, 4],
    ] as const
  ).flatMap(([codes, exponent]) => codes.split(' ').map((code) => [code, exponent] as const)),
);

export function isKnownCurrency(code: string): boolean {
  return CURRENCY_EXPONENTS.has(code.toUpperCase());
}

/** Digits after the decimal point for an ISO 4217 code (case-insensitive). */
export function currencyExponent(code: string): number {
  const exponent = CURRENCY_EXPONENTS.get(code.toUpperCase());
  if (exponent === undefined) {
    throw new RangeError(`Unknown ISO 4217 currency code: ${JSON.stringify(code)}`);
  }
  return exponent;
}

export function isMinorUnits(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** Throws unless `value` is a non-negative safe integer. */
export function assertMinorUnits(value: unknown, label: string): asserts value is number {
  if (!isMinorUnits(value)) {
    throw new RangeError(`${label} must be a non-negative safe integer, got ${String(value)}`);
  }
}

/** Adds minor-unit amounts, throwing instead of silently losing precision. */
export function sumMinorUnits(values: Iterable<number>): number {
  let total = 0;
  for (const value of values) {
    total += value;
    if (!Number.isSafeInteger(total)) {
      throw new RangeError('Sum of amounts exceeds the safe integer range');
    }
  }
  return total;
}

function toSafeNumber(value: bigint, label: string): number {
  const result = Number(value);
  if (!Number.isSafeInteger(result)) {
    throw new RangeError(`${label} exceeds the safe integer range`);
  }
  return result;
}

function divideRounded(numerator: bigint, denominator: bigint, rounding: Rounding): bigint {
  const quotient = numerator / denominator;
  const twiceRemainder = (numerator % denominator) * 2n;
  if (twiceRemainder > denominator) return quotient + 1n;
  if (twiceRemainder < denominator) return quotient;
  if (rounding === 'half_up') return quotient + 1n;
  return quotient % 2n === 0n ? quotient : quotient + 1n;
}

/**
 * round(amount × numerator / denominator) for non-negative integers, exact for
 * any safe inputs. Inclusive tax is `mulDivRounded(gross, bps, 10000 + bps)`.
 */
export function mulDivRounded(
  amount: number,
  numerator: number,
  denominator: number,
  rounding: Rounding = 'half_up',
): number {
  assertMinorUnits(amount, 'amount');
  assertMinorUnits(numerator, 'numerator');
  assertMinorUnits(denominator, 'denominator');
  if (denominator === 0) throw new RangeError('denominator must be positive');
  const product = BigInt(amount) * BigInt(numerator);
  return toSafeNumber(divideRounded(product, BigInt(denominator), rounding), 'result');
}

/**
 * amount × bps / 10 000, rounded to a whole minor unit.
 *
 * Defaults to half-up because that is the rounding printed on invoices and
 * receipts that an accountant or shopper re-checks by hand, and it is what
 * most VAT guidance expects per line. Half-even only pays off when very many
 * roundings are summed (its bias cancels out); a cart has a handful, so
 * callers that need banker's rounding for a specific jurisdiction opt in.
 */
export function applyBasisPoints(amount: number, bps: number, rounding: Rounding = 'half_up'): number {
  return mulDivRounded(amount, bps, BASIS_POINTS_SCALE, rounding);
}

/**
 * Splits `total` in proportion to `weights` with the largest-remainder method:
 * every share is floor(total × w / Σw); the units lost to flooring go one each
 * to the largest remainders, ties broken by lower index, so the result always
 * sums to `total`, is reproducible, and zero weights always get zero.
 *
 * Weights must be integers (amounts or quantities): fractional weights would
 * bring back the float error this function exists to avoid.
 */
export function prorate(total: number, weights: readonly number[]): number[] {
  assertMinorUnits(total, 'total');
  weights.forEach((weight, index) => {
    assertMinorUnits(weight, `weights[${index}]`);
  });
  const weightSum = weights.reduce((sum, weight) => sum + BigInt(weight), 0n);
  if (weightSum === 0n) {
    if (total === 0) return weights.map(() => 0);
    throw new RangeError('Cannot prorate a non-zero total over zero weights');
  }

  const bigTotal = BigInt(total);
  const shares = weights.map((weight) => {
    const scaled = bigTotal * BigInt(weight);
    return { floor: Number(scaled / weightSum), remainder: scaled % weightSum };
  });
  let leftover = total - shares.reduce((sum, share) => sum + share.floor, 0);

  const byLargestRemainder = shares
    .map((share, index) => ({ index, remainder: share.remainder }))
    .sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1));
  const result = shares.map((share) => share.floor);
  for (const { index } of byLargestRemainder) {
    if (leftover === 0) break;
    result[index] = (result[index] ?? 0) + 1;
    leftover -= 1;
  }
  return result;
}
