import { randomBytes } from 'node:crypto';
import { hash, type Options, parseOptions, verify } from '@node-rs/argon2';
import { invalid } from '../../http/problem.js';

/*
 * argon2id with the OWASP baseline: 19 MiB of memory, 2 passes, 1 lane. On this 2-core
 * machine a hash or verify takes ~45 ms on a libuv worker thread (the event loop stays
 * free), so a login burst cannot starve the API, while an offline attacker still pays
 * 19 MiB and two passes per guess. Raising memory is the better lever on bigger hosts;
 * hashes made with other parameters are upgraded at the next successful login.
 */
export const ARGON2_OPTIONS: Options = {
  algorithm: 2, // Argon2id (a const enum in the typings, so spelled as its value here)
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
};

export const PASSWORD_MIN_LENGTH = 8;
/** Bounds the work one login can ask of argon2 (and nobody types more). */
export const PASSWORD_MAX_LENGTH = 256;

/** Pure policy check; the returned messages are shown to the shopper as they are. */
export function passwordProblems(password: string, email?: string): string[] {
  const length = [...password].length; // code points, so an emoji counts once
  const problems: string[] = [];
  if (length < PASSWORD_MIN_LENGTH) problems.push(`must be at least ${PASSWORD_MIN_LENGTH} characters`);
  if (length > PASSWORD_MAX_LENGTH) problems.push(`must be at most ${PASSWORD_MAX_LENGTH} characters`);
  if (password.trim().length === 0 && length > 0) problems.push('must not be only spaces');
  if (email && password.trim().toLowerCase() === email.trim().toLowerCase()) {
    problems.push('must not be the email address');
  }
  return problems;
}

/** 422 `weak_password` with one entry per broken rule, before anything is stored. */
export function assertPasswordPolicy(password: string, field: string, email?: string): void {
  const problems = passwordProblems(password, email);
  if (problems.length > 0) {
    throw invalid(
      `The password ${problems.join(' and ')}`,
      problems.map((message) => ({ field, message })),
      'weak_password',
    );
  }
}

export const hashPassword = (password: string) => hash(password, ARGON2_OPTIONS);

let decoyHash: Promise<string> | null = null;

/**
 * Verifies a password; with no stored hash (unknown email) it verifies against a decoy
 * hash made with the same parameters, so both answers take about as long and timing does
 * not reveal which emails have accounts.
 */
export async function verifyPassword(storedHash: string | null, password: string): Promise<boolean> {
  if (storedHash === null) {
    decoyHash ??= hashPassword(randomBytes(16).toString('hex'));
    await verify(await decoyHash, password).catch(() => false);
    return false;
  }
  try {
    return await verify(storedHash, password);
  } catch {
    return false; // a corrupt stored hash is a failed login, not a 500
  }
}

/** True when a stored hash was made with weaker or different parameters than today's. */
export function needsRehash(storedHash: string): boolean {
  try {
    const used = parseOptions(storedHash);
    return (
      used.algorithm !== ARGON2_OPTIONS.algorithm ||
      used.memoryCost !== ARGON2_OPTIONS.memoryCost ||
      used.timeCost !== ARGON2_OPTIONS.timeCost ||
      used.parallelism !== ARGON2_OPTIONS.parallelism
    );
  } catch {
    return true;
  }
}
