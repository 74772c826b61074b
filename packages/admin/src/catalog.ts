/** Pure helpers of the product forms: no I/O, tested directly. */

export interface OptionInput {
  name: string;
  values: string[];
}

/**
 * "Size: S, M, L" one option per line → options; blank lines are skipped.
 * Returns the first problem as text instead, for the field's error message.
 */
export function parseOptionLines(text: string): OptionInput[] | string {
  const options: OptionInput[] = [];
  for (const [index, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (line === '') continue;
    const colon = line.indexOf(':');
    if (colon <= 0) return `Line ${index + 1}: write "Name: value, value"`;
    const name = line.slice(0, colon).trim();
    const values = [
      ...new Set(
        line
          .slice(colon + 1)
          .split(',')
          .map((value) => value.trim())
          .filter(Boolean),
      ),
    ];
    if (values.length === 0) return `Line ${index + 1}: ${name} has no values`;
    if (options.some((option) => option.name === name)) return `Line ${index + 1}: ${name} appears twice`;
    options.push({ name, values });
  }
  return options;
}

/** Every combination of option values, first option varying slowest (S/Red, S/Blue, M/Red, …). */
export function variantCombinations(options: OptionInput[]): Array<Record<string, string>> {
  return options.reduce<Array<Record<string, string>>>(
    (combinations, option) =>
      combinations.flatMap((combination) =>
        option.values.map((value) => ({ ...combination, [option.name]: value })),
      ),
    [{}],
  );
}

/** `SHIRT` + { Size: 'M', Colour: 'Dark blue' } → `SHIRT-M-DARK-BLUE`. */
export function skuFor(prefix: string, combination: Record<string, string>): string {
  const parts = [prefix, ...Object.values(combination)].map((part) =>
    part
      .toUpperCase()
      .replace(/[^A-Z0-9]+/g, '-')
      .replace(/^-|-$/g, ''),
  );
  return parts.filter(Boolean).join('-');
}

/** "Linen Shirt – Blue!" → "linen-shirt-blue" (the API's handle pattern). */
export const handleFrom = (title: string) =>
  title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/** Media URLs one per line → the API's media list (alt text left empty). */
export const mediaFromLines = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((url) => ({ url, alt: null }));
