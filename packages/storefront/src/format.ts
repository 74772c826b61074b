const formats = new Map<string, Intl.NumberFormat>();

function formatOf(currency: string, locale: string) {
  const key = `${locale}|${currency}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, { style: 'currency', currency });
    formats.set(key, format);
  }
  return format;
}

/** Minor units (integer) to a display string: 1999 EUR → "€19.99", 500 JPY → "¥500". */
export function money(amount: number, currency: string, locale = 'en'): string {
  const format = formatOf(currency, locale);
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(amount / 10 ** digits);
}

export function priceRange(range: { min: number; max: number; currency: string } | null, locale = 'en') {
  if (!range) return 'Not available';
  return range.min === range.max
    ? money(range.min, range.currency, locale)
    : `from ${money(range.min, range.currency, locale)}`;
}

export const date = (iso: string, locale = 'en') =>
  new Date(iso).toLocaleDateString(locale, { year: 'numeric', month: 'short', day: 'numeric' });
