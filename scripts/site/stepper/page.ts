/** The backprop stepper page's HTML: the program, the buttons and the empty graph that main.ts fills in. */
import { escapeHtml } from "../highlight";
import { METHODS } from "./expression";

export function stepperBody(options: { target: string }): string {
  const runs =
    options.target === "solutions"
      ? "the course's reference engine (<code>solutions/</code>)"
      : `your own engine from <code>${escapeHtml(options.target)}/</code>`;
  return `<h1>Backprop stepper</h1>
<p class="lead">An expression as a graph of <code>Value</code>s, with each node's data and grad. Run the forward pass,
then <code>backward()</code> one node at a time, in reverse topological order, and watch each local step add to the
grads of its children. The graph is built and stepped by ${runs}.</p>
<div id="st-notice" class="notice" role="alert" hidden></div>
<form id="st-form" class="st-form">
<div class="field"><label for="st-example">Example</label><select id="st-example"></select></div>
<div class="field"><label for="st-program">Expression</label><textarea id="st-program" rows="7" spellcheck="false" autocomplete="off" aria-describedby="st-help"></textarea></div>
<p id="st-help" class="hint">One statement per line: <code>a = 2</code> makes an input, <code>e = a*b</code> names a node, and
the last line is the root. Write <code>+ - * / **</code>, parentheses and ${METHODS.map((m) => `<code>.${m}()</code>`).join(" ")}.
<code>#</code> starts a comment.</p>
<p><button type="submit">Draw the graph</button></p>
<p id="st-error" class="problem" role="alert" hidden></p>
</form>
<div class="st-run" role="group" aria-label="Forward and backward">
<button type="button" id="st-forward" disabled>Forward</button>
<button type="button" id="st-step" disabled>Backward: next node</button>
<button type="button" id="st-finish" disabled>Backward: all the rest</button>
<button type="button" id="st-restart" disabled>Start over</button>
</div>
<p id="st-status" class="status" role="status" aria-live="polite">Loading the course code…</p>
<figure class="st-figure">
<svg id="st-graph" class="st-graph" role="img" aria-label="The graph, not drawn yet"></svg>
<figcaption id="st-graph-caption">The graph, inputs first. Each box shows a node's name, data and grad; the ellipse in front of it is the operation that made it.</figcaption>
</figure>
<p id="st-check" class="status" hidden></p>
<ol id="st-log" class="st-log"></ol>
<details>
<summary>The nodes as a table</summary>
<table class="st-nodes">
<thead><tr><th scope="col">Node</th><th scope="col">Operation</th><th scope="col">data</th><th scope="col">grad</th></tr></thead>
<tbody id="st-nodes"></tbody>
</table>
</details>
<h2 id="what-runs">What runs</h2>
<p>Each operation of the expression is the engine's own method (<code>add</code>, <code>mul</code>, <code>tanh</code>,
…), so the forward pass computes every node's data as the graph is built. The backward pass is lesson 04's loop, one
iteration per click: the root's grad is set to 1, then each node, in the reverse of <code>topoSort()</code> (lesson
03), calls its <code>localBackward()</code> (lessons 01 and 02). At the end, the grads are compared with a single call
of <code>backward()</code> on a fresh copy of the graph.</p>
<p>The expression is read by a small parser of its own, never run as JavaScript.</p>
`;
}
