/**
 * The decision boundary as a grid: the network's output at the centre of every cell of a rectangle around the
 * data, and the colour each output gets.
 */

export interface Domain {
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
}

export interface Grid {
  columns: number;
  rows: number;
}

/** Cells across the picture: fine enough to show the boundary's curve, few enough to redraw every frame. */
const COLUMNS = 48;
const MARGIN = 0.3;

/** The rectangle around the points, with a margin, and a grid of square cells over it. */
export function boundaryDomain(points: number[][]): Domain & Grid {
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  const domain = {
    xMin: Math.min(...xs) - MARGIN,
    xMax: Math.max(...xs) + MARGIN,
    yMin: Math.min(...ys) - MARGIN,
    yMax: Math.max(...ys) + MARGIN,
  };
  const rows = Math.max(1, Math.round((COLUMNS * (domain.yMax - domain.yMin)) / (domain.xMax - domain.xMin)));
  // Square cells: stretch the shorter side to a whole number of them.
  const cell = (domain.xMax - domain.xMin) / COLUMNS;
  const yMid = (domain.yMin + domain.yMax) / 2;
  return { ...domain, yMin: yMid - (rows * cell) / 2, yMax: yMid + (rows * cell) / 2, columns: COLUMNS, rows };
}

/** `f` at the centre of every cell, row by row from the top (the largest y) down. */
export function boundaryGrid(f: (x: number, y: number) => number, area: Domain & Grid): Float32Array {
  const values = new Float32Array(area.columns * area.rows);
  const width = (area.xMax - area.xMin) / area.columns;
  const height = (area.yMax - area.yMin) / area.rows;
  for (let row = 0; row < area.rows; row++) {
    const y = area.yMax - (row + 0.5) * height;
    for (let column = 0; column < area.columns; column++) {
      values[row * area.columns + column] = f(area.xMin + (column + 0.5) * width, y);
    }
  }
  return values;
}

/** How sure the network is of class 1 (towards +1) or class 0 (towards -1), from its raw output. */
export function confidence(output: number, loss: "mse" | "bce"): number {
  // Squared error trains towards -1/+1; a logit's probability p maps to 2p - 1 = tanh(logit / 2).
  const c = loss === "mse" ? output : Math.tanh(output / 2);
  return Math.max(-1, Math.min(1, c));
}

/** Class 1's colour (orange) and class 0's (blue), as in TensorFlow Playground. */
export const CLASS_COLOURS = { positive: [245, 147, 34], negative: [8, 119, 189] } as const;

const LEVELS = 20;
const palette = Array.from({ length: 2 * LEVELS + 1 }, (_, k) => {
  const c = (k - LEVELS) / LEVELS;
  const [r, g, b] = c >= 0 ? CLASS_COLOURS.positive : CLASS_COLOURS.negative;
  // Towards white where the network is unsure, so the boundary shows as the pale band between the colours.
  const t = 0.8 * Math.abs(c);
  const mix = (channel: number) => Math.round(255 + (channel - 255) * t);
  return `rgb(${mix(r)},${mix(g)},${mix(b)})`;
});

/** The fill of a cell with this confidence (quantized, so that equal colours are equal strings). */
export function cellColour(c: number): string {
  return palette[Math.round((c + 1) * LEVELS)];
}
