import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { invertSymmetricPositiveDefinite } from './spd-inverse.js';

function multiply(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const product = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      for (let j = 0; j < n; j++) product[i * n + j] += a[i * n + k] * b[k * n + j];
    }
  }
  return product;
}

describe('invertSymmetricPositiveDefinite', () => {
  it('inverts a 2×2 matrix', () => {
    const inverse = invertSymmetricPositiveDefinite(Float64Array.from([4, 2, 2, 3]), 2);
    // det = 8: inverse = [3, −2; −2, 4] / 8
    expect([...inverse].map((v) => v * 8)).toEqual([3, -2, -2, 4].map((v) => expect.closeTo(v, 12)));
  });

  it('gives A·A⁻¹ = I for Gram matrices of random baskets plus a ridge', () => {
    const incidence = fc
      .integer({ min: 1, max: 12 })
      .chain((n) =>
        fc.tuple(fc.constant(n), fc.array(fc.array(fc.boolean(), { minLength: n, maxLength: n }))),
      );
    fc.assert(
      fc.property(incidence, fc.double({ min: 0.1, max: 50, noNaN: true }), ([n, rows], ridge) => {
        const matrix = new Float64Array(n * n);
        for (const row of rows) {
          for (let i = 0; i < n; i++)
            for (let j = 0; j < n; j++) if (row[i] && row[j]) matrix[i * n + j] += 1;
        }
        for (let i = 0; i < n; i++) matrix[i * n + i] += ridge;
        const original = matrix.slice();
        const product = multiply(original, invertSymmetricPositiveDefinite(matrix, n), n);
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < n; j++) expect(product[i * n + j]).toBeCloseTo(i === j ? 1 : 0, 8);
        }
      }),
    );
  });

  it('refuses a matrix that is not positive definite', () => {
    expect(() => invertSymmetricPositiveDefinite(Float64Array.from([1, 2, 2, 1]), 2)).toThrow(
      /not positive definite/,
    );
    expect(() => invertSymmetricPositiveDefinite(new Float64Array(3), 2)).toThrow(RangeError);
  });
});
