/**
 * Renders Graphviz DOT to SVG inside Node with Graphviz compiled to WebAssembly (@hpcc-js/wasm-graphviz):
 * no system Graphviz, no network. The same DOT always gives the same SVG bytes.
 */
import { Graphviz } from "@hpcc-js/wasm-graphviz";

let graphviz: Promise<Graphviz> | undefined;

/** The SVG drawing of `dot`, laid out with the `dot` engine. */
export async function renderSvg(dot: string): Promise<string> {
  graphviz ??= Graphviz.load();
  const svg = (await graphviz).dot(dot, "svg");
  // Graphviz ends its output with a newline on some versions and not others; settle on one.
  return `${svg.trimEnd()}\n`;
}
