/** Draws the stepper's graph as SVG: a box per node (name, data, grad), an ellipse per operation, the edges. */
import type { Value } from "@course/engine";
import { svgElement } from "../browser/svg";
import { type GraphLayout, type LayoutNode, layoutGraph } from "./layout";

export interface GraphView {
  /** The nodes in topological order (children first, the root last). */
  nodes: Value[];
  name(node: Value): string;
  /** False before "Forward": the data is not shown yet. */
  showData: boolean;
  /** The node whose local backward step just ran. */
  active?: Value;
  /** The nodes whose grad the last step added to. */
  receiving: Set<Value>;
  /** The nodes whose local backward step has run. */
  passedOn: Set<Value>;
  /** The width available, in CSS pixels: a graph wider than this is drawn top to bottom if that is narrower. */
  width: number;
}

/** The graph's text is 12 px monospace: about 0.6 em per character. */
const CHAR = 7.3;
const LINE = 16;
const PAD = 7;
const NAME_LENGTH = 18;

/** 4 decimals, as the lessons' figures; -0 shows as 0. */
export function format(x: number): string {
  const text = x.toFixed(4);
  return /^-0\.?0*$/.test(text) ? text.slice(1) : text;
}

export function renderGraph(svg: SVGSVGElement, view: GraphView): void {
  const index = new Map(view.nodes.map((node, i) => [node, i]));
  const shownData = (node: Value) => (view.showData ? format(node.data) : "?");
  const lines = view.nodes.map((node) => [
    shorten(view.name(node)),
    `data ${shownData(node)}`,
    `grad ${format(node.grad)}`,
  ]);
  const input: LayoutNode[] = view.nodes.map((node, i) => ({
    children: node.children.map((child) => index.get(child) ?? i),
    width: Math.ceil(Math.max(...lines[i].map((l) => l.length)) * CHAR + 2 * PAD),
    height: 3 * LINE + 2 * PAD,
    opWidth: node.op ? Math.max(26, Math.ceil(node.op.length * CHAR + 14)) : 0,
  }));
  const layout = chooseLayout(input, view.width);

  svg.setAttribute("viewBox", `0 0 ${layout.width} ${layout.height}`);
  svg.setAttribute("width", String(layout.width));
  svg.setAttribute("height", String(layout.height));
  svg.dataset.orientation = layout.orientation;
  const edges = svgElement("g", { class: "st-edges" });
  for (const edge of layout.edges) {
    const from = view.nodes[edge.child];
    const live = view.nodes[edge.parent] === view.active && view.receiving.has(from);
    edges.append(svgElement("path", { d: edge.d, class: live ? "st-edge st-edge-live" : "st-edge" }));
  }
  const nodes = view.nodes.map((node, i) => {
    const { box, op, opLink } = layout.nodes[i];
    const state =
      node === view.active
        ? "st-active"
        : view.receiving.has(node)
          ? "st-receiving"
          : view.passedOn.has(node)
            ? "st-passed"
            : "";
    const group = svgElement("g", {
      class: `st-node ${state}`.trim(),
      "data-name": view.name(node),
      "data-grad": String(node.grad),
      ...(view.showData ? { "data-data": String(node.data) } : {}),
    });
    group.append(svgElement("title", {}, `${view.name(node)}: data ${shownData(node)}, grad ${format(node.grad)}`));
    if (op && opLink) {
      group.append(
        svgElement("path", { d: opLink, class: "st-edge" }),
        svgElement("ellipse", { cx: op.cx, cy: op.cy, rx: op.rx, ry: op.ry, class: "st-op" }),
        svgElement("text", { x: op.cx, y: op.cy, class: "st-op-text" }, node.op),
      );
    }
    group.append(
      svgElement("rect", { x: box.x, y: box.y, width: box.width, height: box.height, rx: 6, class: "st-box" }),
    );
    lines[i].forEach((text, k) => {
      const kind = ["st-name", "st-data", "st-grad"][k];
      group.append(svgElement("text", { x: box.x + PAD, y: box.y + PAD + LINE * k + LINE * 0.75, class: kind }, text));
    });
    return group;
  });
  // Its own name, not the caption's words (a screen reader would read those twice).
  const root = view.nodes[view.nodes.length - 1];
  svg.setAttribute(
    "aria-label",
    `The graph of ${view.nodes.length} nodes, the root ${root ? view.name(root) : ""} last`,
  );
  svg.replaceChildren(edges, ...nodes);
}

/** Inputs-to-root across the page; top to bottom when that is too wide for the screen and the other is narrower. */
function chooseLayout(nodes: LayoutNode[], width: number): GraphLayout {
  const across = layoutGraph(nodes, "across");
  if (across.width <= width) return across;
  const down = layoutGraph(nodes, "down");
  return down.width < across.width ? down : across;
}

function shorten(name: string): string {
  return name.length <= NAME_LENGTH ? name : `${name.slice(0, NAME_LENGTH - 1)}…`;
}
