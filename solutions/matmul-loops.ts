/**
 * The matrix product C = A · B on packed arrays, written three ways, and what it takes to share one between
 * threads. Every matrix is stored row after row (as lesson 14's tensors): A is rows × inner, B is inner × cols,
 * and C, rows × cols, is overwritten with the product.
 *
 * The three ways do the same arithmetic; only the order in which they touch memory differs:
 *   - `matmulIJK`, the textbook order: each C[i][j] is a dot product of a row of A and a column of B;
 *   - `matmulIKJ`, lesson 14's order: the innermost loop walks a row of B and a row of C;
 *   - `matmulBlocked`, four rows of C at a time: every number read from B serves four of them.
 *
 * They take Float64Arrays or Float32Arrays (lesson 18's step 2). A share of the rows of C is itself a matrix
 * product (rows r0 to r1 of A times all of B), so threads split the work by rows (step 3): `splitRows` says who
 * takes which rows, `matmulRows` computes one share.
 *
 * Lesson 18. The code between `// BEGIN lesson-18` and `// END lesson-18` is what you write.
 */

/** A packed array of numbers: 64-bit floats, or 32-bit ones (half the memory, about 7 significant digits). */
export type FloatArray = Float64Array | Float32Array;

/** A matrix product into `c`: any of the three below, or one of the faster ones of lesson 18 with the same contract. */
export type Matmul = (a: FloatArray, b: FloatArray, c: FloatArray, rows: number, inner: number, cols: number) => void;

/** The rows `start` (included) to `end` (excluded) of a matrix. */
export interface RowRange {
  start: number;
  end: number;
}

/** How many rows of C `matmulBlocked` computes together. */
export const BLOCK_ROWS = 4;

// Mutation testing (maintainers): a loop's `++` turned into `--` here never ends, its index running away from a bound
// it never reaches (reads past a typed array give undefined, never an error), so Stryker could only stop it at its
// timeout, 20 s each, and learn nothing. The loops of splitRows, after `restore`, end either way and stay mutated.
// Stryker disable UpdateOperator: an endless loop, never a wrong result (see above)

/** C = A · B in the order i, j, k: C[i][j] is the dot product of row i of A and column j of B. */
export function matmulIJK(
  a: FloatArray,
  b: FloatArray,
  c: FloatArray,
  rows: number,
  inner: number,
  cols: number,
): void {
  checkMatmul(a, b, c, rows, inner, cols);
  // BEGIN lesson-18
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      let sum = 0;
      // Down column j of B: one number from each row, `cols` numbers apart in memory.
      for (let k = 0; k < inner; k++) sum += a[i * inner + k] * b[k * cols + j];
      c[i * cols + j] = sum;
    }
  }
  // END lesson-18
}

/** C = A · B in the order i, k, j: A[i][k] times row k of B is added to row i of C. */
export function matmulIKJ(
  a: FloatArray,
  b: FloatArray,
  c: FloatArray,
  rows: number,
  inner: number,
  cols: number,
): void {
  checkMatmul(a, b, c, rows, inner, cols);
  // BEGIN lesson-18
  c.fill(0);
  for (let i = 0; i < rows; i++) {
    for (let k = 0; k < inner; k++) {
      const aik = a[i * inner + k];
      // Along row k of B and row i of C, entry after entry, in the order they are stored.
      for (let j = 0; j < cols; j++) c[i * cols + j] += aik * b[k * cols + j];
    }
  }
  // END lesson-18
}

/**
 * C = A · B in the order i, k, j, BLOCK_ROWS rows of C at a time: each B[k][j] read serves four rows, so the inner
 * loop reads one number of B for four multiply-adds instead of one. The rows left over (rows not a multiple of
 * BLOCK_ROWS) go one at a time, by `matmulIKJ`.
 */
export function matmulBlocked(
  a: FloatArray,
  b: FloatArray,
  c: FloatArray,
  rows: number,
  inner: number,
  cols: number,
): void {
  checkMatmul(a, b, c, rows, inner, cols);
  // BEGIN lesson-18
  c.fill(0);
  let i = 0;
  // Stryker disable next-line EqualityOperator,AssignmentOperator: same numbers (rows left to matmulIKJ) or endless
  for (; i + BLOCK_ROWS <= rows; i += BLOCK_ROWS) {
    const c0 = i * cols;
    const c1 = c0 + cols;
    const c2 = c1 + cols;
    const c3 = c2 + cols;
    for (let k = 0; k < inner; k++) {
      const a0 = a[i * inner + k];
      const a1 = a[(i + 1) * inner + k];
      const a2 = a[(i + 2) * inner + k];
      const a3 = a[(i + 3) * inner + k];
      const bk = k * cols;
      for (let j = 0; j < cols; j++) {
        const bkj = b[bk + j];
        c[c0 + j] += a0 * bkj;
        c[c1 + j] += a1 * bkj;
        c[c2 + j] += a2 * bkj;
        c[c3 + j] += a3 * bkj;
      }
    }
  }
  // The rows left over: a product of their own, rows i to the end of A times B, into the same rows of C (none when
  // rows is a multiple of BLOCK_ROWS: a product of 0 rows does nothing).
  matmulIKJ(a.subarray(i * inner), b, c.subarray(i * cols), rows - i, inner, cols);
  // END lesson-18
}

/**
 * How far `approx` is from `exact`, relative to the size of `exact`: the largest difference between two
 * entries divided by the largest entry of `exact` (both as absolute values). 0 when they agree; about 6e-8 for
 * numbers rounded once to float32; NaN anywhere gives NaN.
 */
export function relativeError(approx: ArrayLike<number>, exact: ArrayLike<number>): number {
  checkSameLength(approx, exact);
  // BEGIN lesson-18
  let largestDifference = 0;
  let largestEntry = 0;
  for (let i = 0; i < exact.length; i++) {
    // Math.max keeps a NaN (a comparison such as difference > largestDifference would skip it).
    largestDifference = Math.max(largestDifference, Math.abs(approx[i] - exact[i]));
    largestEntry = Math.max(largestEntry, Math.abs(exact[i]));
  }
  if (largestDifference === 0) return 0;
  return largestDifference / largestEntry;
  // END lesson-18
}

// Stryker restore UpdateOperator

/**
 * `rows` rows shared between `parts` threads: consecutive ranges, in order, covering every row once, as equal as
 * they can be. Every range but the last starts and ends at a multiple of `align` (a kernel that computes
 * `align` rows at once then never has a block cut in two), and the sizes differ by at most `align`. A part with no
 * rows left gets no range, so there are at most `parts` ranges, and none is empty.
 */
export function splitRows(rows: number, parts: number, align = 1): RowRange[] {
  checkSplit(rows, parts, align);
  // BEGIN lesson-18
  const blocks = Math.ceil(rows / align);
  const ranges: RowRange[] = [];
  let start = 0;
  // Part by part while rows are left: the last part takes every block left, so there are at most `parts` of them.
  // Stryker disable next-line BlockStatement: an empty body never moves start, so the loop never ends
  for (let p = 0; start < rows; p++) {
    // The blocks left, shared between the parts left: the first ones take one more when they do not divide.
    const take = Math.ceil((blocks - start / align) / (parts - p));
    const end = Math.min(rows, start + take * align);
    ranges.push({ start, end });
    start = end;
  }
  return ranges;
  // END lesson-18
}

/**
 * Rows `range.start` to `range.end` of C = A · B, computed by `kernel` and written into those rows of `c` and no
 * others: rows r0 to r1 of C need only rows r0 to r1 of A, and all of B.
 */
export function matmulRows(
  kernel: Matmul,
  a: FloatArray,
  b: FloatArray,
  c: FloatArray,
  rows: number,
  inner: number,
  cols: number,
  range: RowRange,
): void {
  checkMatmul(a, b, c, rows, inner, cols);
  checkRange(range, rows);
  // BEGIN lesson-18
  const { start, end } = range;
  // subarray is a view on the same memory, not a copy: the kernel writes straight into c.
  kernel(a.subarray(start * inner, end * inner), b, c.subarray(start * cols, end * cols), end - start, inner, cols);
  // END lesson-18
}

// Provided checks: arrays of the wrong length fail here, naming the shapes, instead of reading past the end of an
// array (which a typed array answers with undefined, and then NaN everywhere).

/** Throws unless a, b and c hold exactly rows × inner, inner × cols and rows × cols numbers. */
export function checkMatmul(
  a: FloatArray,
  b: FloatArray,
  c: FloatArray,
  rows: number,
  inner: number,
  cols: number,
): void {
  const wanted: [string, FloatArray, number, number][] = [
    ["A", a, rows, inner],
    ["B", b, inner, cols],
    ["C", c, rows, cols],
  ];
  for (const [name, array, r, k] of wanted) {
    if (array.length !== r * k) {
      throw new RangeError(
        `matmul: ${name} should be ${r}×${k} (${r * k} numbers) for a ${rows}×${inner} by ${inner}×${cols} product, got ${array.length} numbers.`,
      );
    }
  }
}

function checkSameLength(approx: ArrayLike<number>, exact: ArrayLike<number>): void {
  if (approx.length !== exact.length || exact.length === 0) {
    throw new RangeError(
      `relativeError: expected two lists of the same length (at least 1), got ${approx.length} and ${exact.length}.`,
    );
  }
}

function checkSplit(rows: number, parts: number, align: number): void {
  for (const [name, n] of [
    ["rows", rows],
    ["parts", parts],
    ["align", align],
  ] as const) {
    if (!Number.isInteger(n) || n < 1)
      throw new RangeError(`splitRows: ${name} must be a whole number of at least 1, got ${n}.`);
  }
}

/** Throws unless `range` is a range of rows of a matrix of `rows` rows, none empty; `who` names the caller. */
export function checkRange(range: RowRange, rows: number, who = "matmulRows"): void {
  const { start, end } = range;
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > rows || start >= end) {
    throw new RangeError(`${who}: the rows ${start} to ${end} are not a range of rows of a matrix of ${rows} rows.`);
  }
}
