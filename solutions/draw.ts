/**
 * Provided: you do not need to edit this file.
 *
 * Turns a `Value` graph into Graphviz DOT, like micrograd's `draw_dot`: one record per value
 * (label | data | grad), one small node per operation, drawn left to right, inputs first.
 * `npm run figures` renders the lessons' pictures from it; you can draw your own graphs too:
 *
 *     import { toDot } from "@course/draw";
 *     console.log(toDot(loss)); // paste the output into any Graphviz viewer
 *
 * It reads only `data`, `grad`, `children`, `op` and `label`, so it works on your `src/` from lesson 01 on,
 * before `topoSort()` or `backward()` exist. `tensorToDot` draws a graph of lesson 14's tensors the same way,
 * with each tensor's shape instead of its numbers.
 */
import type { Value } from "./engine";
import type { Tensor } from "./tensor";

export interface DotOptions {
  /** Decimal places of data and grad (micrograd prints "%.4f"). */
  digits?: number;
  /** Font of every node; Graphviz's default is Times. */
  fontname?: string;
}

/** The DOT text of the graph that ends in `root`. The same graph always gives the same text. */
export function toDot(root: Value, options: DotOptions = {}): string {
  const digits = options.digits ?? 4;
  return dotText(root, options.fontname, "v", (node) => {
    const record = [escapeRecord(node.label), `data ${format(node.data, digits)}`, `grad ${format(node.grad, digits)}`];
    return `{ ${record.join(" | ")} }`;
  });
}

/**
 * The DOT text of the tensor graph that ends in `root`: one record per tensor (label | rows × columns), one small
 * node per operation, as `toDot` draws values.
 */
export function tensorToDot(root: Tensor, options: Pick<DotOptions, "fontname"> = {}): string {
  return dotText(root, options.fontname, "t", (node) => {
    const shape = `${node.rows} × ${node.cols}`;
    return node.label ? `{ ${escapeRecord(node.label)} | ${shape} }` : shape;
  });
}

/** What drawing needs of a node, a `Value` or a `Tensor`. */
interface GraphNode<Node> {
  children: Node[];
  op: string;
}

/** The DOT text of a graph: a record per node, labelled by `record`, and a small node per operation. */
function dotText<Node extends GraphNode<Node>>(
  root: Node,
  fontname: string | undefined,
  idPrefix: string,
  record: (node: Node) => string,
): string {
  const nodes = graphNodes(root);
  // Ids by position (inputs first), never by object identity, so the text is the same on every run.
  const id = new Map(nodes.map((node, i) => [node, `${idPrefix}${i}`]));

  const lines = [
    "digraph G {",
    "  rankdir=LR;",
    `  node [fontname=${quote(fontname ?? "Helvetica")}, fontsize=12];`,
    `  edge [arrowsize=0.7];`,
  ];
  for (const node of nodes) {
    const v = id.get(node);
    lines.push(`  ${v} [shape=record, label="${record(node)}"];`);
    if (node.op) {
      // The operation gets its own small node, pointing at the node it produced.
      lines.push(`  ${v}_op [shape=circle, width=0.3, margin=0, label=${quote(node.op)}];`);
      lines.push(`  ${v}_op -> ${v};`);
    }
  }
  for (const node of nodes) {
    for (const child of node.children) {
      lines.push(`  ${id.get(child)} -> ${id.get(node)}${node.op ? "_op" : ""};`);
    }
  }
  lines.push("}");
  return `${lines.join("\n")}\n`;
}

/**
 * Every node below `root`, each once, children before parents (a depth-first post-order walk with an
 * explicit stack: the same order `topoSort()` gives, without needing it).
 */
function graphNodes<Node extends GraphNode<Node>>(root: Node): Node[] {
  const order: Node[] = [];
  const seen = new Set<Node>([root]);
  const stack: { node: Node; next: number }[] = [{ node: root, next: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    const child = top.node.children[top.next];
    if (child) {
      top.next += 1;
      if (!seen.has(child)) {
        seen.add(child);
        stack.push({ node: child, next: 0 });
      }
    } else {
      order.push(top.node);
      stack.pop();
    }
  }
  return order;
}

/** A number with a fixed count of decimals; -0 prints as 0 so a picture never shows "-0.0000". */
function format(x: number, digits: number): string {
  const text = x.toFixed(digits);
  return /^-0\.?0*$/.test(text) ? text.slice(1) : text;
}

/** Record labels give `{ } | < >` a meaning, so a label holding them escapes them (backslashes are dropped). */
function escapeRecord(text: string): string {
  return text.replace(/\\/g, "").replace(/[{}|<>"]/g, "\\$&");
}

/** A plain DOT string (quotes and backslashes dropped: no label here needs them). */
function quote(text: string): string {
  return `"${text.replace(/["\\]/g, "")}"`;
}
