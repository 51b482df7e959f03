/** Line charts of the history: one value per epoch, the training series solid and the test series dashed. */
import { svgElement } from "../browser/svg";

const WIDTH = 420;
const HEIGHT = 170;
const LEFT = 46;
const RIGHT = 10;
const TOP = 10;
const BOTTOM = 26;

export interface Series {
  values: number[];
  kind: "train" | "test";
}

/** Draws `series` (index = epoch, from 0) into `svg`, the y axis from 0 to `yMax`, labelled with `label`. */
export function drawChart(svg: SVGSVGElement, series: Series[], yMax: number, label: (y: number) => string): void {
  const epochs = Math.max(10, ...series.map((s) => s.values.length - 1));
  const x = (epoch: number) => LEFT + (epoch / epochs) * (WIDTH - LEFT - RIGHT);
  const y = (value: number) => TOP + (1 - Math.min(value, yMax) / yMax) * (HEIGHT - TOP - BOTTOM);
  svg.setAttribute("viewBox", `0 0 ${WIDTH} ${HEIGHT}`);
  const axes = [0, 0.5, 1].flatMap((share) => [
    svgElement("line", { x1: LEFT, x2: WIDTH - RIGHT, y1: y(share * yMax), y2: y(share * yMax), class: "gridline" }),
    svgElement("text", { x: LEFT - 6, y: y(share * yMax) + 4, class: "axis y" }, label(share * yMax)),
  ]);
  const xLabels = [0, epochs].map((epoch) =>
    svgElement("text", { x: x(epoch), y: HEIGHT - 8, class: `axis x${epoch === 0 ? " start" : ""}` }, `epoch ${epoch}`),
  );
  const lines = series.map((s) =>
    svgElement("polyline", {
      class: `series ${s.kind}`,
      points: s.values.map((value, epoch) => `${x(epoch).toFixed(1)},${y(value).toFixed(1)}`).join(" "),
    }),
  );
  svg.replaceChildren(...axes, ...xLabels, ...lines);
}
