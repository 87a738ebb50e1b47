/**
 * Truncated SVD of a sparse document-term matrix by randomized subspace iteration (Halko, Martinsson &
 * Tropp 2011): cost grows with the number of non-zeros, not with documents × terms, and a seeded
 * random start makes the result the same on every run.
 */

/** One document as parallel arrays of term indexes and weights. */
export interface SparseRow {
  terms: number[];
  values: number[];
}

/** Small, fast, seedable PRNG (mulberry32); the projection must not change between runs. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** Y (n × l) = A Ω for a term-space matrix Ω (m × l, row-major). */
function timesTermMatrix(rows: SparseRow[], omega: Float64Array, l: number): Float64Array[] {
  return rows.map((row) => {
    const y = new Float64Array(l);
    for (let i = 0; i < row.terms.length; i++) {
      const base = row.terms[i] * l;
      const v = row.values[i];
      for (let j = 0; j < l; j++) y[j] += v * omega[base + j];
    }
    return y;
  });
}

/** Z (m × l, row-major) = Aᵀ Y. */
function transposeTimes(rows: SparseRow[], y: Float64Array[], m: number, l: number): Float64Array {
  const z = new Float64Array(m * l);
  rows.forEach((row, d) => {
    const yd = y[d];
    for (let i = 0; i < row.terms.length; i++) {
      const base = row.terms[i] * l;
      const v = row.values[i];
      for (let j = 0; j < l; j++) z[base + j] += v * yd[j];
    }
  });
  return z;
}

/** Orthonormalizes the l columns of Y (n rows) in place by modified Gram-Schmidt. */
function orthonormalizeColumns(y: Float64Array[], l: number): void {
  const n = y.length;
  for (let j = 0; j < l; j++) {
    for (let p = 0; p < j; p++) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += y[i][j] * y[i][p];
      for (let i = 0; i < n; i++) y[i][j] -= dot * y[i][p];
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += y[i][j] * y[i][j];
    norm = Math.sqrt(norm);
    for (let i = 0; i < n; i++) y[i][j] = norm > 1e-10 ? y[i][j] / norm : 0;
  }
}

/** Eigen-decomposition of a small symmetric matrix by cyclic Jacobi rotations. */
function symmetricEigen(matrix: Float64Array[], size: number): { values: number[]; vectors: Float64Array[] } {
  const a = matrix.map((row) => Float64Array.from(row));
  const v = Array.from({ length: size }, (_, i) => {
    const row = new Float64Array(size);
    row[i] = 1;
    return row;
  });
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    for (let p = 0; p < size; p++) for (let q = p + 1; q < size; q++) off += a[p][q] * a[p][q];
    if (off < 1e-20) break;
    for (let p = 0; p < size; p++) {
      for (let q = p + 1; q < size; q++) {
        if (Math.abs(a[p][q]) < 1e-15) continue;
        const theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < size; k++) {
          const akp = a[k][p];
          const akq = a[k][q];
          a[k][p] = c * akp - s * akq;
          a[k][q] = s * akp + c * akq;
        }
        for (let k = 0; k < size; k++) {
          const apk = a[p][k];
          const aqk = a[q][k];
          a[p][k] = c * apk - s * aqk;
          a[q][k] = s * apk + c * aqk;
        }
        for (let k = 0; k < size; k++) {
          const vkp = v[k][p];
          const vkq = v[k][q];
          v[k][p] = c * vkp - s * vkq;
          v[k][q] = s * vkp + c * vkq;
        }
      }
    }
  }
  // Column j of v is the eigenvector of a[j][j].
  const values = Array.from({ length: size }, (_, i) => a[i][i]);
  const vectors = Array.from({ length: size }, (_, j) => Float64Array.from(v, (row) => row[j]));
  return { values, vectors };
}

/**
 * The top-k right singular vectors of A (documents × m terms), as a row-major m × k term projection:
 * a document or query's latent vector is its term vector times this matrix.
 */
export function truncatedSvdProjection(rows: SparseRow[], m: number, k: number, seed: number): { projection: Float32Array; dimension: number } {
  const n = rows.length;
  const l = Math.max(1, Math.min(k + 10, n, m));
  const random = seededRandom(seed);
  // Starting from Aᵀ G (G: n × l Gaussian) spans the same range as A Ω with far fewer random numbers.
  const g = Array.from({ length: n }, () => Float64Array.from({ length: l }, () => gaussian(random)));
  let q = timesTermMatrix(rows, transposeTimes(rows, g, m, l), l);
  orthonormalizeColumns(q, l);
  for (let iteration = 0; iteration < 2; iteration++) {
    q = timesTermMatrix(rows, transposeTimes(rows, q, m, l), l);
    orthonormalizeColumns(q, l);
  }
  // B Bᵀ = Qᵀ A Aᵀ Q (l × l), computed through the sparse A rather than the dense B.
  const aatq = timesTermMatrix(rows, transposeTimes(rows, q, m, l), l);
  const gram = Array.from({ length: l }, () => new Float64Array(l));
  for (let d = 0; d < n; d++) {
    for (let i = 0; i < l; i++) {
      const qi = q[d][i];
      if (qi === 0) continue;
      for (let j = 0; j < l; j++) gram[i][j] += qi * aatq[d][j];
    }
  }
  for (let i = 0; i < l; i++) for (let j = 0; j < i; j++) gram[i][j] = gram[j][i] = (gram[i][j] + gram[j][i]) / 2;
  const { values, vectors } = symmetricEigen(gram, l);
  const order = values
    .map((value, index) => ({ value, index }))
    .filter((e) => e.value > 1e-9)
    .sort((a, b) => b.value - a.value)
    .slice(0, k);
  const dimension = Math.max(1, order.length);
  // U = Q W (n × k, scaled by Σ⁻¹ here), then V = Aᵀ U Σ⁻¹: the right singular vectors in term space.
  const scaledU = q.map((row) => {
    const u = new Float64Array(dimension);
    order.forEach(({ value, index }, col) => {
      const w = vectors[index];
      let s = 0;
      for (let i = 0; i < l; i++) s += row[i] * w[i];
      u[col] = s / Math.sqrt(value);
    });
    return u;
  });
  return { projection: Float32Array.from(transposeTimes(rows, scaledU, m, dimension)), dimension };
}
