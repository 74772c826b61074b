/** Pure wording helpers: what the head says, tested without a server. */

export interface VariantChoice {
  id: string;
  title: string;
  /** Present on a `full` channel; compact and speakable channels give titles only. */
  options?: Record<string, string>;
  availability?: { in_stock?: boolean } | null;
  in_stock?: boolean;
}

/** Minor units in words a voice can read: 8900 EUR → "€89", 8950 EUR → "€89.50". */
export function say(amount: number, currency: string, locale = 'en'): string {
  const format = new Intl.NumberFormat(locale, { style: 'currency', currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  const major = amount / 10 ** digits;
  return Number.isInteger(major)
    ? new Intl.NumberFormat(locale, { style: 'currency', currency, maximumFractionDigits: 0 }).format(major)
    : format.format(major);
}

/** Major units as the shopper said them → minor units of the currency ("under 100" → 10000). */
export function toMinor(major: number, currency: string): number {
  const digits =
    new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  return Math.round(major * 10 ** digits);
}

/** A size as the variant carries it: its "Size" option, else a title part ("42 / Black" → 42). */
function sizeOfVariant(variant: VariantChoice): string | null {
  const option = Object.entries(variant.options ?? {}).find(([name]) => /size/i.test(name));
  if (option) return option[1];
  const part = variant.title
    .split(/\s*[/·,–-]\s*/)
    .find((piece) => /^\d+(\.\d)?$|^(XXS|XS|S|M|L|XL|XXL)$/i.test(piece));
  return part ?? null;
}

export const sizesOf = (variants: VariantChoice[]) => [
  ...new Set(variants.map(sizeOfVariant).filter((size): size is string => size !== null)),
];

const inStock = (variant: VariantChoice) =>
  variant.in_stock ??
  variant.availability?.in_stock ??
  (variant.availability === undefined ? true : variant.availability !== null);

/**
 * The variant the shopper means: the one in the size said (in stock first), or the only one.
 * `ask` when a size is needed but was not said; `missing` when that size is not offered.
 */
export function pickVariant(
  variants: VariantChoice[],
  size: string | null,
): { variant: VariantChoice } | { ask: string[] } | { missing: string[] } {
  if (size === null) {
    if (variants.length === 1) return { variant: variants[0] };
    const sizes = sizesOf(variants);
    if (sizes.length <= 1) return { variant: variants.find(inStock) ?? variants[0] };
    return { ask: sizes };
  }
  const matching = variants.filter((variant) => sizeOfVariant(variant)?.toUpperCase() === size.toUpperCase());
  if (matching.length === 0) return { missing: sizesOf(variants) };
  return { variant: matching.find(inStock) ?? matching[0] };
}

/** "A, B and C". */
export function list(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

export const ordinalWord = (n: number) =>
  ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth'][n - 1] ??
  `number ${n}`;
