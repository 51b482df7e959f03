/**
 * A drawing made into an MNIST digit, the way MNIST's own digits were made (LeCun et al.): the ink's bounding box
 * scaled to fit a 20 × 20 box, keeping its proportions, with every pixel the average of the ink it covers (which
 * gives the soft, grey edges MNIST's digits have); then placed in a 28 × 28 field so that its centre of mass lies at
 * the centre, at (14, 14) counted in pixels from the top left (the mean centre of the package's digits is 14.0, 14.0).
 * Pure arithmetic, so the same code runs in the page and in the tests.
 */

export const SIDE = 28;
/** The box the ink's longer side is scaled to. */
export const BOX = 20;
/** Ink below this (out of 1) does not count for the bounding box: antialiasing fringes of the brush. */
const FAINT = 0.05;

/**
 * `ink`: `width × height` values from 0 (paper) to 1 (ink), row after row. Returns 784 values from 0 to 1, row after
 * row, all 0 when there is no ink.
 */
export function toMnistDigit(ink: ArrayLike<number>, width: number, height: number): Float64Array {
  const digit = new Float64Array(SIDE * SIDE);
  const box = inkBox(ink, width, height);
  if (!box) return digit;
  const scale = BOX / Math.max(box.width, box.height);
  const w = Math.max(1, Math.round(box.width * scale));
  const h = Math.max(1, Math.round(box.height * scale));
  const small = new Float64Array(w * h);
  for (let ty = 0; ty < h; ty++) {
    const [y0, y1] = covered(ty, scale, box.top, box.height);
    for (let tx = 0; tx < w; tx++) {
      const [x0, x1] = covered(tx, scale, box.left, box.width);
      let total = 0;
      for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) total += ink[y * width + x];
      small[ty * w + tx] = total / ((y1 - y0) * (x1 - x0));
    }
  }
  const { x: cx, y: cy } = centreOfMass(small, w, h);
  const left = Math.round(SIDE / 2 - cx);
  const top = Math.round(SIDE / 2 - cy);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const [fx, fy] = [x + left, y + top];
      if (fx >= 0 && fx < SIDE && fy >= 0 && fy < SIDE) digit[fy * SIDE + fx] = Math.min(1, small[y * w + x]);
    }
  }
  return digit;
}

/** The smallest rectangle holding every pixel with more than a faint trace of ink, or null for an empty page. */
export function inkBox(
  ink: ArrayLike<number>,
  width: number,
  height: number,
): { left: number; top: number; width: number; height: number } | null {
  let [left, top, right, bottom] = [width, height, -1, -1];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (ink[y * width + x] <= FAINT) continue;
      left = Math.min(left, x);
      right = Math.max(right, x);
      top = Math.min(top, y);
      bottom = Math.max(bottom, y);
    }
  }
  return right < 0 ? null : { left, top, width: right - left + 1, height: bottom - top + 1 };
}

/** The source pixels [from, to) that small pixel `t` covers along one side, at least one. */
function covered(t: number, scale: number, start: number, length: number): [number, number] {
  const from = Math.min(length - 1, Math.floor(t / scale));
  const to = Math.max(from + 1, Math.min(length, Math.ceil((t + 1) / scale)));
  return [start + from, start + to];
}

/** The ink-weighted mean position, in pixels from the top left (pixel x's centre counted as x). */
export function centreOfMass(values: ArrayLike<number>, width: number, height: number): { x: number; y: number } {
  let [mass, x, y] = [0, 0, 0];
  for (let row = 0; row < height; row++) {
    for (let col = 0; col < width; col++) {
      const v = values[row * width + col];
      mass += v;
      x += v * col;
      y += v * row;
    }
  }
  return mass === 0 ? { x: (width - 1) / 2, y: (height - 1) / 2 } : { x: x / mass, y: y / mass };
}
