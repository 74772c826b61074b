/**
 * Inverse of a symmetric positive-definite n×n matrix (row-major), via Cholesky
 * A = L·Lᵀ, M = L⁻¹, A⁻¹ = Mᵀ·M: about n³/2 multiply-adds, half of Gauss-Jordan, and
 * every inner loop walks contiguous row prefixes. `matrix` is overwritten with the result.
 */
export function invertSymmetricPositiveDefinite(matrix: Float64Array, n: number): Float64Array {
  if (matrix.length !== n * n) throw new RangeError(`expected ${n * n} entries, got ${matrix.length}`);
  choleskyInPlace(matrix, n);
  const inverseFactor = invertLowerTriangular(matrix, n);
  return multiplyTransposeBySelf(inverseFactor, n, matrix);
}

/** Lower triangle of `a` becomes L; the upper triangle is left as it was. */
function choleskyInPlace(a: Float64Array, n: number): void {
  for (let j = 0; j < n; j++) {
    const rowJ = j * n;
    let pivot = a[rowJ + j];
    for (let k = 0; k < j; k++) pivot -= a[rowJ + k] * a[rowJ + k];
    if (!(pivot > 0)) throw new RangeError(`matrix is not positive definite (pivot ${j} is ${pivot})`);
    const diagonal = Math.sqrt(pivot);
    a[rowJ + j] = diagonal;
    for (let i = j + 1; i < n; i++) {
      const rowI = i * n;
      let sum = a[rowI + j];
      for (let k = 0; k < j; k++) sum -= a[rowI + k] * a[rowJ + k];
      a[rowI + j] = sum / diagonal;
    }
  }
}

/** Row i of L⁻¹ from the rows above it: (eᵢ − Σₖ L[i][k]·M[k]) / L[i][i]. */
function invertLowerTriangular(lower: Float64Array, n: number): Float64Array {
  const inverse = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const rowI = i * n;
    for (let k = 0; k < i; k++) {
      const factor = lower[rowI + k];
      if (factor === 0) continue;
      const rowK = k * n;
      for (let c = 0; c <= k; c++) inverse[rowI + c] -= factor * inverse[rowK + c];
    }
    inverse[rowI + i] += 1;
    const scale = 1 / lower[rowI + i];
    for (let c = 0; c <= i; c++) inverse[rowI + c] *= scale;
  }
  return inverse;
}

/** Mᵀ·M for lower-triangular M, accumulated row by row into `out`'s lower triangle, then mirrored. */
function multiplyTransposeBySelf(m: Float64Array, n: number, out: Float64Array): Float64Array {
  out.fill(0);
  for (let k = 0; k < n; k++) {
    const rowK = k * n;
    for (let r = 0; r <= k; r++) {
      const factor = m[rowK + r];
      if (factor === 0) continue;
      const rowR = r * n;
      for (let c = 0; c <= r; c++) out[rowR + c] += factor * m[rowK + c];
    }
  }
  for (let r = 0; r < n; r++) for (let c = 0; c < r; c++) out[c * n + r] = out[r * n + c];
  return out;
}
