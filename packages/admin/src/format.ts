const formats = new Map<string, Intl.NumberFormat>();

function formatOf(currency: string) {
  let format = formats.get(currency);
  if (!format) {
    format = new Intl.NumberFormat('en', { style: 'currency', currency });
    formats.set(currency, format);
  }
  return format;
}

/** Digits after the decimal point of a currency (EUR 2, JPY 0, KWD 3). */
export const currencyDigits = (currency: string) =>
  formatOf(currency).resolvedOptions().maximumFractionDigits ?? 2;

/** Minor units to display text: 1999 EUR → "€19.99". */
export const money = (amount: number, currency: string) =>
  formatOf(currency).format(amount / 10 ** currencyDigits(currency));

/** Minor units to the plain decimal a price field shows: 1999 EUR → "19.99", 500 JPY → "500". */
export function toDecimal(amount: number, currency: string): string {
  const digits = currencyDigits(currency);
  if (digits === 0) return String(amount);
  const sign = amount < 0 ? '-' : '';
  const text = String(Math.abs(amount)).padStart(digits + 1, '0');
  return `${sign}${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

/**
 * A typed price ("19.9", "19,90", "1 299.00") to integer minor units, exactly (no float
 * arithmetic); null when it is not a non-negative amount with at most the currency's digits.
 */
export function parseAmount(text: string, currency: string): number | null {
  const digits = currencyDigits(currency);
  const cleaned = text.trim().replace(/[\s_]/g, '').replace(',', '.');
  const found = /^(\d+)(?:\.(\d*))?$/.exec(cleaned);
  if (!found) return null;
  const fraction = found[2] ?? '';
  if (fraction.length > digits) return null;
  const value = Number(found[1] + fraction.padEnd(digits, '0'));
  return Number.isSafeInteger(value) ? value : null;
}

export const dateTime = (iso: string | null | undefined) =>
  iso ? new Date(iso).toLocaleString('en', { dateStyle: 'medium', timeStyle: 'short' }) : '—';

export const percent = (rate: number | null) => (rate === null ? '—' : `${(rate * 100).toFixed(1)} %`);
