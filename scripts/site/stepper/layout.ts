/**
 * A layered drawing of a small graph, computed in the browser: the graph is whatever the learner types, so it
 * cannot be drawn at build time like the lessons' Graphviz figures, and a layout of our own needs no
 * WebAssembly download and can turn the graph on its side when a phone is too narrow for it.
 *
 * A node's layer is its longest distance from the root, so each input sits next to the first operation that
 * uses it; the root is drawn last (rightmost "across", lowest "down"). Within a layer, nodes follow the mean
 * position of the nodes that use them, which keeps edges short and mostly uncrossed on graphs of this size.
 * Every operation is drawn as a small ellipse in front of the node it produced, as in the lessons' figures.
 */

export interface LayoutNode {
  /** Indices of the node's children (each smaller than the node's own: the nodes come in topological order). */
  children: number[];
  width: number;
  height: number;
  /** The width of the node's operation ellipse; 0 for an input, which has none. */
  opWidth: number;
}

/** "across": inputs on the left, root on the right. "down": inputs at the top, root at the bottom. */
export type Orientation = "across" | "down";

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Ellipse {
  cx: number;
  cy: number;
  rx: number;
  ry: number;
}

export interface PlacedNode {
  box: Box;
  op?: Ellipse;
  /** The short line from the operation to the node's box. */
  opLink?: string;
}

export interface PlacedEdge {
  child: number;
  parent: number;
  /** An SVG path. */
  d: string;
}

export interface GraphLayout {
  orientation: Orientation;
  width: number;
  height: number;
  nodes: PlacedNode[];
  edges: PlacedEdge[];
}

const MARGIN = 6;
const LAYER_GAP = 26;
const NODE_GAP = 14;
const OP_HEIGHT = 22;
const OP_GAP = 10;
/** How far apart the ends of two edges between the same pair of nodes are (in `a + a`, a is used twice). */
const TWIN_OFFSET = 8;

/** Positions for `nodes` (in topological order, the root last) drawn in `orientation`. */
export function layoutGraph(nodes: LayoutNode[], orientation: Orientation): GraphLayout {
  const across = orientation === "across";
  const layers = orderedLayers(nodes);
  // Along the main axis (x across, y down) layers follow each other; along the cross axis a layer's nodes stack.
  const mainSize = (n: LayoutNode) => (across ? n.width : n.height);
  const crossSize = (n: LayoutNode) => (across ? n.height : n.width);
  const opBand = (layer: number[]) => {
    const ops = layer.filter((i) => nodes[i].opWidth > 0);
    if (ops.length === 0) return 0;
    return (across ? Math.max(...ops.map((i) => nodes[i].opWidth)) : OP_HEIGHT) + 2 * OP_GAP;
  };
  const crossLength = (layer: number[]) =>
    layer.reduce((sum, i) => sum + crossSize(nodes[i]), 0) + NODE_GAP * (layer.length - 1);
  const crossTotal = Math.max(...layers.map(crossLength));

  const placed: PlacedNode[] = new Array(nodes.length);
  let main = MARGIN;
  for (const layer of layers) {
    const band = opBand(layer);
    const thickness = Math.max(...layer.map((i) => mainSize(nodes[i])));
    let cross = MARGIN + (crossTotal - crossLength(layer)) / 2;
    for (const i of layer) {
      const node = nodes[i];
      const start = main + band;
      const box = across
        ? { x: start, y: cross, width: node.width, height: node.height }
        : { x: cross, y: start, width: node.width, height: node.height };
      placed[i] = { box };
      if (node.opWidth > 0) {
        const op = across
          ? { cx: main + band / 2, cy: box.y + box.height / 2, rx: node.opWidth / 2, ry: OP_HEIGHT / 2 }
          : { cx: box.x + box.width / 2, cy: main + band / 2, rx: node.opWidth / 2, ry: OP_HEIGHT / 2 };
        placed[i].op = op;
        placed[i].opLink = across
          ? `M${op.cx + op.rx},${op.cy}L${box.x},${op.cy}`
          : `M${op.cx},${op.cy + op.ry}L${op.cx},${box.y}`;
      }
      cross += crossSize(node) + NODE_GAP;
    }
    main += band + thickness + LAYER_GAP;
  }

  const edges: PlacedEdge[] = [];
  nodes.forEach((node, parent) => {
    const op = placed[parent].op;
    if (!op) return;
    node.children.forEach((child, k) => {
      const twins = node.children.filter((c) => c === child).length;
      const twin = node.children.slice(0, k).filter((c) => c === child).length;
      const shift = (twin - (twins - 1) / 2) * TWIN_OFFSET;
      const from = placed[child].box;
      if (across) {
        const [x1, y1] = [from.x + from.width, from.y + from.height / 2 + shift];
        const [x2, y2] = [op.cx - op.rx, op.cy + shift / 2];
        const mid = (x1 + x2) / 2;
        edges.push({ child, parent, d: `M${x1},${y1}C${mid},${y1} ${mid},${y2} ${x2},${y2}` });
      } else {
        const [x1, y1] = [from.x + from.width / 2 + shift, from.y + from.height];
        const [x2, y2] = [op.cx + shift / 2, op.cy - op.ry];
        const mid = (y1 + y2) / 2;
        edges.push({ child, parent, d: `M${x1},${y1}C${x1},${mid} ${x2},${mid} ${x2},${y2}` });
      }
    });
  });

  const extent = main - LAYER_GAP + MARGIN;
  const breadth = crossTotal + 2 * MARGIN;
  return {
    orientation,
    width: across ? extent : breadth,
    height: across ? breadth : extent,
    nodes: placed,
    edges,
  };
}

/**
 * The nodes by layer, farthest from the root first, each layer in drawing order: the root's layer holds the
 * root; every other layer is sorted by the mean position of the nodes that use its nodes.
 */
export function orderedLayers(nodes: LayoutNode[]): number[][] {
  const root = nodes.length - 1;
  const distance = new Array<number>(nodes.length).fill(0);
  const parents: number[][] = nodes.map(() => []);
  // Parents come after their children, so walking backwards settles a node's distance before its children's.
  for (let i = root; i >= 0; i--) {
    for (const child of new Set(nodes[i].children)) {
      distance[child] = Math.max(distance[child], distance[i] + 1);
      parents[child].push(i);
    }
  }
  const deepest = Math.max(...distance);
  const byDistance: number[][] = Array.from({ length: deepest + 1 }, () => []);
  for (let i = 0; i < nodes.length; i++) byDistance[distance[i]].push(i);

  const position = new Map<number, number>();
  for (const layer of byDistance) {
    const weight = (i: number) =>
      parents[i].length === 0 ? 0 : parents[i].reduce((sum, p) => sum + (position.get(p) ?? 0), 0) / parents[i].length;
    layer.sort((a, b) => weight(a) - weight(b) || a - b);
    layer.forEach((i, k) => {
      position.set(i, (k + 0.5) / layer.length);
    });
  }
  return byDistance.reverse();
}
