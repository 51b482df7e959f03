/** The decision-boundary picture: a grid of coloured cells under the training and test points. */

import { svgElement } from "../browser/svg";
import { cellColour, confidence, type Domain, type Grid } from "./boundary";
import type { Points } from "./protocol";

const CELL = 10;
const RADIUS = 4;

export class BoundaryPicture {
  private readonly cells: SVGElement[] = [];
  private readonly fills: string[] = [];

  /** Draws the empty grid and the points of a new data set into `svg`. */
  constructor(svg: SVGSVGElement, area: Domain & Grid, train: Points, test: Points) {
    const width = area.columns * CELL;
    const height = area.rows * CELL;
    svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    const grid = svgElement("g", { "shape-rendering": "crispEdges" });
    for (let row = 0; row < area.rows; row++) {
      for (let column = 0; column < area.columns; column++) {
        const cell = svgElement("rect", {
          class: "cell",
          x: column * CELL,
          y: row * CELL,
          width: CELL,
          height: CELL,
          fill: "#fff",
        });
        this.cells.push(cell);
        this.fills.push("#fff");
        grid.append(cell);
      }
    }
    const x = (value: number) => ((value - area.xMin) / (area.xMax - area.xMin)) * width;
    const y = (value: number) => ((area.yMax - value) / (area.yMax - area.yMin)) * height;
    const dots = (points: Points, kind: "train" | "test") =>
      points.x.map((p, i) =>
        svgElement("circle", {
          cx: x(p[0]).toFixed(1),
          cy: y(p[1]).toFixed(1),
          r: RADIUS,
          class: `point ${kind} ${points.positive[i] ? "positive" : "negative"}`,
        }),
      );
    svg.replaceChildren(grid, ...dots(train, "train"), ...dots(test, "test"));
  }

  /** Colours every cell by the network's output there (row by row from the top, as boundaryGrid gives). */
  paint(outputs: Float32Array, loss: "mse" | "bce"): void {
    for (let i = 0; i < this.cells.length; i++) {
      const fill = cellColour(confidence(outputs[i], loss));
      // Only changed cells are touched: setting an attribute, even to its old value, makes the browser restyle.
      if (fill !== this.fills[i]) {
        this.cells[i].setAttribute("fill", fill);
        this.fills[i] = fill;
      }
    }
  }
}
