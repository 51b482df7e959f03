/**
 * The network picture: a column of tiles per layer, each tile one neuron's output over the plane (the inputs x₁
 * and x₂, every hidden neuron, the output), and a line for every weight between them, as wide as the weight is
 * large and coloured by its sign: blue positive, orange negative.
 */
import { svgElement } from "../browser/svg";
import type { Domain, Grid } from "./boundary";
import { paintGrid } from "./picture";
import type { Pictures } from "./protocol";

/** More weights than this draw no lines: thousands of lines would hide the tiles and slow every frame. */
export const MOST_LINES = 2000;
const MARGIN = 6;

export interface NetworkShape {
  /** Neurons per layer, inputs first: [2, 16, 16, 1]. */
  sizes: number[];
  area: Domain & Grid;
  tiles: Grid;
  loss: "mse" | "bce";
}

/** A line's width for a weight: thin for small weights, at most 6 px. */
export function lineWidth(weight: number): number {
  return Math.min(6, 0.5 + 1.5 * Math.abs(weight));
}

export class NetworkPicture {
  /** The tiles' canvases, layer by layer (inputs, hidden layers, output), and their images. */
  private readonly tiles: { canvas: HTMLCanvasElement; image: ImageData }[][] = [];
  private readonly lines: SVGElement[] = [];
  /** What each line shows now, to touch only the lines that change (setting an attribute restyles). */
  private readonly shown: string[] = [];
  private weights: Float32Array | undefined;
  private labelledAt = 0;
  private readonly svg: SVGSVGElement;
  private readonly resized = new ResizeObserver(() => this.layout());

  constructor(
    private readonly container: HTMLElement,
    private readonly shape: NetworkShape,
  ) {
    const svg = svgElement("svg", { class: "pg-weights", "aria-hidden": "true" }) as SVGSVGElement;
    this.svg = svg;
    container.replaceChildren(svg);
    shape.sizes.forEach((size, layer) => {
      const last = layer === shape.sizes.length - 1;
      const grid = layer === 0 || last ? shape.area : shape.tiles;
      this.tiles.push(
        Array.from({ length: size }, (_, unit) => {
          const canvas = document.createElement("canvas");
          canvas.className = "pg-unit";
          canvas.width = grid.columns;
          canvas.height = grid.rows;
          canvas.dataset.layer = String(layer);
          canvas.dataset.unit = String(unit);
          canvas.title = layer === 0 ? `x${unit + 1}` : last ? "the output" : `layer ${layer}, neuron ${unit + 1}`;
          container.append(canvas);
          return { canvas, image: new ImageData(grid.columns, grid.rows) };
        }),
      );
    });
    this.paintInputs();
    const count = shape.sizes.slice(1).reduce((sum, size, i) => sum + size * shape.sizes[i], 0);
    if (count <= MOST_LINES) {
      for (let i = 0; i < count; i++) {
        const line = svgElement("line", { class: "pg-weight" });
        this.lines.push(line);
        this.shown.push("");
        svg.append(line);
      }
    }
    container.dataset.lines = String(this.lines.length);
    this.layout();
    this.resized.observe(container);
  }

  /** Stops following the container's size: the next network's picture takes the container over. */
  dispose(): void {
    this.resized.disconnect();
  }

  /** Redraws the hidden and output tiles and the weights' lines from the worker's pictures. */
  paint(pictures: Pictures, running: boolean): void {
    const { sizes, tiles, loss } = this.shape;
    const cells = tiles.columns * tiles.rows;
    let unit = 0;
    for (let layer = 1; layer < sizes.length - 1; layer++) {
      for (const tile of this.tiles[layer]) {
        // A hidden neuron's output is drawn as a squared-error output would be: towards +1 blue, towards −1 orange.
        paintGrid(tile.image, pictures.units, unit++ * cells, "mse");
        tile.canvas.getContext("2d")?.putImageData(tile.image, 0, 0);
      }
    }
    const output = this.tiles[sizes.length - 1][0];
    paintGrid(output.image, pictures.output, 0, loss);
    output.canvas.getContext("2d")?.putImageData(output.image, 0, 0);
    this.weights = pictures.weights;
    this.lines.forEach((line, i) => {
      const w = pictures.weights[i];
      const look = `${w >= 0 ? "positive" : "negative"} ${lineWidth(w).toFixed(1)}`;
      if (look === this.shown[i]) return;
      line.setAttribute("class", `pg-weight ${w >= 0 ? "positive" : "negative"}`);
      line.setAttribute("stroke-width", lineWidth(w).toFixed(1));
      this.shown[i] = look;
    });
    // Each line keeps the weight it draws in data-weight: renewed when training stops, or once a second while it
    // runs (every frame would be thousands of attribute writes).
    if (!running || performance.now() - this.labelledAt > 1000) this.labelLines();
  }

  private labelLines(): void {
    this.labelledAt = performance.now();
    const weights = this.weights;
    if (!weights) return;
    this.lines.forEach((line, i) => {
      line.dataset.weight = weights[i].toPrecision(4);
    });
  }

  /** The inputs' tiles: x₁ grows to the right, x₂ upwards, each coloured on the output's scale. */
  private paintInputs(): void {
    const { area } = this.shape;
    const { columns, rows } = area;
    const scale = (v: number, min: number, max: number) => (2 * (v - min)) / (max - min) - 1;
    this.tiles[0].forEach((tile, input) => {
      const values = new Float32Array(columns * rows);
      for (let row = 0; row < rows; row++) {
        for (let column = 0; column < columns; column++) {
          values[row * columns + column] =
            input === 0 ? scale(column + 0.5, 0, columns) : scale(rows - row - 0.5, 0, rows);
        }
      }
      paintGrid(tile.image, values, 0, "mse");
      tile.canvas.getContext("2d")?.putImageData(tile.image, 0, 0);
    });
  }

  /** Places the columns of tiles across the container's width and the lines between them. */
  private layout(): void {
    const { sizes } = this.shape;
    const most = Math.max(...sizes);
    const tile = most <= 8 ? 34 : most <= 16 ? 24 : most <= 32 ? 15 : 9;
    const gap = Math.max(3, Math.round(tile * 0.3));
    const height = most * (tile + gap) - gap + 2 * MARGIN;
    const width = Math.max(this.container.clientWidth, sizes.length * (tile + 12));
    this.container.style.height = `${height}px`;
    this.svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    const step = (width - tile - 2 * MARGIN) / (sizes.length - 1);
    const at = sizes.map((size, layer) =>
      Array.from({ length: size }, (_, unit) => ({
        x: MARGIN + layer * step,
        y: height / 2 + (unit - (size - 1) / 2) * (tile + gap) - tile / 2,
      })),
    );
    at.forEach((column, layer) => {
      column.forEach(({ x, y }, unit) => {
        const { style } = this.tiles[layer][unit].canvas;
        Object.assign(style, { left: `${x}px`, top: `${y}px`, width: `${tile}px`, height: `${tile}px` });
      });
    });
    let i = 0;
    for (let layer = 1; layer < sizes.length && this.lines.length > 0; layer++) {
      // Weight order: neuron by neuron of this layer, each neuron's weights in the order of its inputs.
      for (const to of at[layer]) {
        for (const from of at[layer - 1]) {
          const line = this.lines[i++];
          line.setAttribute("x1", (from.x + tile).toFixed(1));
          line.setAttribute("y1", (from.y + tile / 2).toFixed(1));
          line.setAttribute("x2", to.x.toFixed(1));
          line.setAttribute("y2", (to.y + tile / 2).toFixed(1));
        }
      }
    }
  }
}
