import { InvalidArgumentError } from 'commander';

/** A commander parser for an integer option within bounds. */
export function intOption(min: number, max: number) {
  return (value: string): number => {
    const parsed = Number(value);
    if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max)
      throw new InvalidArgumentError(`expected an integer from ${min} to ${max}`);
    return parsed;
  };
}
