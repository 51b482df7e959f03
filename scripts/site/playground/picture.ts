/**
 * The decision-boundary picture: the network's output over the plane as a small canvas, one pixel per grid cell
 * (the browser scales it up smoothly), under an SVG of the training points (dots) and test points (diamonds).
 */
import { svgElement } from "../browser/svg";
import { cellColour, confidence, type Domain, type Grid } from "./boundary";
import type { Points } from "./protocol";

/** The SVG's units per grid cell: the points are drawn in these units. */
const CELL = 10;
const RADIUS = 4;

export class BoundaryPicture {
  private readonly image: ImageData;
  private readonly context: CanvasRenderingContext2D;

  /** Sizes `canvas` to the grid and draws the points of a new data set into `svg`. */
  constructor(canvas: HTMLCanvasElement, svg: SVGSVGElement, area: Domain & Grid, train: Points, test: Points) {
    canvas.width = area.columns;
    canvas.height = area.rows;
    this.context = canvas.getContext("2d") as CanvasRenderingContext2D;
    this.image = this.context.createImageData(area.columns, area.rows);
    const [width, height] = [area.columns * CELL, area.rows * CELL];
    svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    const x = (value: number) => ((value - area.xMin) / (area.xMax - area.xMin)) * width;
    const y = (value: number) => ((area.yMax - value) / (area.yMax - area.yMin)) * height;
    const dots = (points: Points, kind: "train" | "test") =>
      points.x.map((p, i) => {
        const [cx, cy] = [x(p[0]), y(p[1])];
        const shape = { class: `point ${kind} ${points.positive[i] ? "positive" : "negative"}` };
        return kind === "train"
          ? svgElement("circle", { ...shape, cx: cx.toFixed(1), cy: cy.toFixed(1), r: RADIUS })
          : svgElement("path", { ...shape, d: diamond(cx, cy, RADIUS + 1.5) });
      });
    svg.replaceChildren(...dots(train, "train"), ...dots(test, "test"));
  }

  /** Colours every cell by the network's output there (row by row from the top, as boundaryGrid gives). */
  paint(outputs: Float32Array, loss: "mse" | "bce"): void {
    paintGrid(this.image, outputs, 0, loss);
    this.context.putImageData(this.image, 0, 0);
  }
}

/** Writes the colours of `values[offset ...]` into `image`, one pixel per value. */
export function paintGrid(image: ImageData, values: Float32Array, offset: number, loss: "mse" | "bce"): void {
  const pixels = image.data;
  for (let i = 0; i < image.width * image.height; i++) {
    const [r, g, b] = cellColour(confidence(values[offset + i], loss));
    pixels[4 * i] = r;
    pixels[4 * i + 1] = g;
    pixels[4 * i + 2] = b;
    pixels[4 * i + 3] = 255;
  }
}

function diamond(cx: number, cy: number, r: number): string {
  const f = (v: number) => v.toFixed(1);
  return `M${f(cx)} ${f(cy - r)}L${f(cx + r)} ${f(cy)}L${f(cx)} ${f(cy + r)}L${f(cx - r)} ${f(cy)}Z`;
}
