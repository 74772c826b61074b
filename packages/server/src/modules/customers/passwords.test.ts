import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { needsRehash, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, passwordProblems } from './passwords.js';
import { consentChanges } from './service.js';

describe('password policy', () => {
  it('accepts exactly the passwords of 8 to 256 characters that are not blank and not the email', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme-composite', maxLength: 300 }),
        fc.emailAddress(),
        (password, email) => {
          const length = [...password].length;
          const acceptable =
            length >= PASSWORD_MIN_LENGTH &&
            length <= PASSWORD_MAX_LENGTH &&
            password.trim() !== '' &&
            password.trim().toLowerCase() !== email.toLowerCase();
          expect(passwordProblems(password, email).length === 0).toBe(acceptable);
        },
      ),
    );
  });

  it('names every broken rule', () => {
    expect(passwordProblems('Ada@Example.com', 'ada@example.com')).toEqual(['must not be the email address']);
    expect(passwordProblems('')).toEqual(['must be at least 8 characters']);
    expect(passwordProblems('a'.repeat(256))).toEqual([]);
  });

  it('asks for a rehash when parameters differ or the hash is not argon2', () => {
    expect(needsRehash(`$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$${'A'.repeat(43)}`)).toBe(
      false,
    );
    expect(needsRehash(`$argon2id$v=19$m=4096,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$${'A'.repeat(43)}`)).toBe(true);
    expect(needsRehash('$2b$10$abcdefghijklmnopqrstuv')).toBe(true);
  });
});

describe('consent changes', () => {
  const now = new Date('2025-01-01T00:00:00Z');
  const earlier = new Date('2024-01-01T00:00:00Z');
  const current = {
    consent_personalisation: true,
    consent_personalisation_updated_at: earlier,
    consent_marketing: false,
    consent_marketing_updated_at: null,
  };

  it('dates a choice only when it changes or was never made', () => {
    expect(consentChanges(current, { consent_personalisation: true }, now)).toEqual({
      consent_personalisation: true,
    });
    expect(consentChanges(current, { consent_personalisation: false }, now)).toEqual({
      consent_personalisation: false,
      consent_personalisation_updated_at: now,
    });
    // Declining explicitly is a decision too, even though the flag was already false.
    expect(consentChanges(current, { consent_marketing: false }, now)).toEqual({
      consent_marketing: false,
      consent_marketing_updated_at: now,
    });
    expect(consentChanges(current, {}, now)).toEqual({});
  });
});
