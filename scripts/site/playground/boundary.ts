/**
 * The pictures' grids: the network's output at the centre of every cell of a rectangle around the data, each
 * hidden unit's output on a coarser grid of the same rectangle, and the colour every output gets.
 */
import { CLASS_COLOURS, rgbOf } from "../../lib/class-colours";

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

/** Cells across the decision boundary: fine enough to show its curve, few enough to redraw every frame. */
const COLUMNS = 48;
/** Cells across a unit's tile: a tile is small, and there can be 256 of them. */
const TILE_COLUMNS = 16;
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

/** The coarser grid of the unit tiles over the same rectangle: about square cells, TILE_COLUMNS across. */
export function tileGrid(area: Domain & Grid): Grid {
  return { columns: TILE_COLUMNS, rows: Math.max(1, Math.round((TILE_COLUMNS * area.rows) / area.columns)) };
}

/** The centre of every cell of `grid` over `area`, row by row from the top (the largest y) down. */
function* cellCentres(area: Domain, grid: Grid): Generator<[number, number]> {
  const width = (area.xMax - area.xMin) / grid.columns;
  const height = (area.yMax - area.yMin) / grid.rows;
  for (let row = 0; row < grid.rows; row++) {
    for (let column = 0; column < grid.columns; column++) {
      yield [area.xMin + (column + 0.5) * width, area.yMax - (row + 0.5) * height];
    }
  }
}

/** `f` at the centre of every cell, row by row from the top down. */
export function boundaryGrid(f: (x: number, y: number) => number, area: Domain & Grid): Float32Array {
  const values = new Float32Array(area.columns * area.rows);
  let i = 0;
  for (const [x, y] of cellCentres(area, area)) values[i++] = f(x, y);
  return values;
}

/**
 * Every hidden unit's output at the centre of every cell of `tiles`: unit after unit, each row by row from the
 * top. `f` writes the units' outputs at a point into its third argument, as networkFunction does.
 */
export function unitGrids(
  f: (x: number, y: number, units: Float32Array) => number,
  area: Domain,
  tiles: Grid,
  unitCount: number,
): Float32Array {
  const cells = tiles.columns * tiles.rows;
  const values = new Float32Array(unitCount * cells);
  const units = new Float32Array(unitCount);
  let cell = 0;
  for (const [x, y] of cellCentres(area, tiles)) {
    f(x, y, units);
    for (let u = 0; u < unitCount; u++) values[u * cells + cell] = units[u];
    cell++;
  }
  return values;
}

/** How sure the network is of +1 (towards 1) or −1 (towards −1), from its raw output. */
export function confidence(output: number, loss: "mse" | "bce"): number {
  // Squared error trains towards -1/+1; a logit's probability p maps to 2p - 1 = tanh(logit / 2).
  const c = loss === "mse" ? output : Math.tanh(output / 2);
  return Math.max(-1, Math.min(1, c));
}

/**
 * How much of its class's colour the surest cell takes: a light tint, so that the points (in the full colours,
 * with an outline) stand out on it.
 */
export const STRONGEST_TINT = 0.55;
const LEVELS = 20;
const palette = Array.from({ length: 2 * LEVELS + 1 }, (_, k) => {
  const c = (k - LEVELS) / LEVELS;
  const colour = rgbOf(c >= 0 ? CLASS_COLOURS.positive.point : CLASS_COLOURS.negative.point);
  // Towards white where the network is unsure, so the boundary shows as the pale band between the colours.
  const t = STRONGEST_TINT * Math.abs(c);
  return colour.map((channel) => Math.round(255 + (channel - 255) * t)) as [number, number, number];
});

/** The colour of a cell with this confidence, quantized to 41 levels, as [r, g, b]. */
export function cellColour(c: number): readonly [number, number, number] {
  return palette[Math.round((c + 1) * LEVELS)];
}
