/** The playground page's HTML: the controls and the empty pictures that main.ts fills in. */
import { escapeHtml } from "../highlight";
import { LIMITS, LOSSES, OPTIMIZERS } from "./settings";

export interface PlaygroundPageOptions {
  /** The course folder the page runs ("solutions", "src"). */
  target: string;
  /** Which bonus parts the target has: batch sizes above 1 (lesson 12), cross-entropy (11), optimizers (13). */
  batches: boolean;
  crossEntropy: boolean;
  optimizers: boolean;
}

export function playgroundBody(options: PlaygroundPageOptions): string {
  const runs =
    options.target === "solutions"
      ? "the course's reference code (<code>solutions/</code>)"
      : `your own code from <code>${escapeHtml(options.target)}/</code>`;
  const number = (id: string, label: string, attributes: string, hint = "") =>
    `<div class="field"><label for="${id}">${label}</label><input id="${id}" type="number" ${attributes}${hint ? ` aria-describedby="${id}-hint"` : ""}>${hint ? `<small id="${id}-hint">${hint}</small>` : ""}</div>`;
  const select = (id: string, label: string, choices: Record<string, string>) =>
    `<div class="field"><label for="${id}">${label}</label><select id="${id}">${Object.entries(choices)
      .map(([value, text]) => `<option value="${value}">${escapeHtml(text)}</option>`)
      .join("")}</select></div>`;
  return `<h1>Training playground</h1>
<p class="lead">Watch a network learn the two moons: the coloured grid is what it predicts everywhere, the dots are
the data. The page trains with ${runs}, compiled for your browser: its <code>Value</code>, <code>ANN</code>, losses
and optimizers, in lesson 09's loop.</p>
<div id="pg-notice" class="notice" role="alert" hidden></div>
<div class="pg">
<div class="pg-run" role="group" aria-label="Training">
<button type="button" id="pg-start" disabled>Start</button>
<button type="button" id="pg-step" disabled>One update</button>
<button type="button" id="pg-reset" disabled>Reset</button>
</div>
<div class="pg-view">
<p id="pg-status" class="status" role="status" aria-live="polite">Loading the course code…</p>
<figure class="pg-figure">
<svg id="pg-boundary" class="pg-boundary" role="img" aria-labelledby="pg-boundary-caption"></svg>
<figcaption id="pg-boundary-caption"><span class="swatch positive"></span> class 1 <span class="swatch negative"></span> class 0: the grid is the network's prediction, paler where it is unsure. Filled dots are training points, rings are test points.</figcaption>
</figure>
<p id="pg-grid-warning" class="problem" hidden>The grid is drawn from the network's weights with lesson 07's forward pass (tanh between layers), and your <code>ANN.forward</code> gives other outputs: the picture may not show your network. The numbers below are your code's.</p>
<dl class="pg-stats">
<div><dt>Epoch</dt><dd id="pg-epoch">0</dd></div>
<div><dt>Updates</dt><dd id="pg-updates">0</dd></div>
<div><dt>Training loss</dt><dd id="pg-train-loss">–</dd></div>
<div><dt>Test loss</dt><dd id="pg-test-loss">–</dd></div>
<div><dt>Training accuracy</dt><dd id="pg-train-accuracy">–</dd></div>
<div><dt>Test accuracy</dt><dd id="pg-test-accuracy">–</dd></div>
<div><dt>Speed</dt><dd id="pg-speed">–</dd></div>
</dl>
<figure class="pg-figure">
<svg id="pg-loss-chart" class="pg-chart" role="img" aria-labelledby="pg-loss-caption"></svg>
<figcaption id="pg-loss-caption">Loss per epoch: training (solid line) and test (dashed).</figcaption>
</figure>
<figure class="pg-figure">
<svg id="pg-accuracy-chart" class="pg-chart" role="img" aria-labelledby="pg-accuracy-caption"></svg>
<figcaption id="pg-accuracy-caption">Accuracy per epoch: training (solid line) and test (dashed).</figcaption>
</figure>
<details>
<summary>Every epoch, as numbers</summary>
<table class="pg-history">
<thead><tr><th scope="col">Epoch</th><th scope="col">Training loss</th><th scope="col">Test loss</th><th scope="col">Training accuracy</th><th scope="col">Test accuracy</th></tr></thead>
<tbody id="pg-history"></tbody>
</table>
</details>
</div>
<form id="pg-form" class="pg-controls" novalidate>
<fieldset>
<legend>Data: two moons</legend>
${number("pg-n", "Points", `min="${LIMITS.n.min}" max="${LIMITS.n.max}" step="1" inputmode="numeric"`, "a quarter are held out for testing")}
${number("pg-noise", "Noise", `min="${LIMITS.noise.min}" max="${LIMITS.noise.max}" step="0.05" inputmode="decimal"`)}
${number("pg-seed", "Seed", `min="0" step="1" inputmode="numeric"`, "picks the points, the test set and the first weights")}
</fieldset>
<fieldset>
<legend>Network and training</legend>
<div class="field"><label for="pg-net">Layers</label><input id="pg-net" type="text" autocomplete="off" spellcheck="false" aria-describedby="pg-net-hint"><small id="pg-net-hint">like 2-16-16-1: 2 inputs, hidden layers, 1 output</small></div>
${number("pg-lr", "Learning rate", `min="0" step="any" inputmode="decimal"`)}
${options.batches ? number("pg-batch", "Batch size", `min="1" step="1" inputmode="numeric"`, "1 is lesson 09's per-example SGD; more uses lesson 12's mini-batches") : ""}
${options.crossEntropy ? select("pg-loss", "Loss", LOSSES) : ""}
${options.optimizers ? select("pg-optimizer", "Optimizer", OPTIMIZERS) : ""}
${number("pg-epochs", "Stop after (epochs)", `min="${LIMITS.epochs.min}" max="${LIMITS.epochs.max}" step="1" inputmode="numeric"`)}
</fieldset>
<p id="pg-problem" class="problem" role="alert" hidden></p>
<fieldset>
<legend>The notebook's models</legend>
<p class="hint">Each trains one of lesson 10's five models on the study's data, as <code>npm run experiments</code> does with its first seed.</p>
<div id="pg-presets" class="pg-presets"></div>
</fieldset>
<p><a id="pg-link" href="?">Link to these settings</a></p>
</form>
</div>
<h2 id="what-runs">What runs</h2>
<p>Every update is lesson 09's step: <code>zeroGrad()</code>, a forward pass of the batch through your <code>ANN</code>
(lessons 05 to 07), the loss (<code>seLoss</code>, lesson 08, or <code>bceWithLogitsLoss</code>, lesson 11),
<code>backward()</code> (lessons 01 to 04) and the update (<code>update(lr)</code>, lesson 07, or an optimizer of lesson
13). Batches of more than one example come from lesson 12's <code>miniBatches</code>, in order. After each epoch the
network is measured on both sets with forward passes only, as lesson 09's <code>evaluate</code> does.</p>
<p>With batch size 1, squared error and plain SGD, a notebook model here is the same run, number for number, as in
lesson 10's <code>npm run experiments</code> with the same seed. Training runs in a Web Worker, so the page stays
responsive; the picture is redrawn at most once per frame.</p>
<p>To watch your own code: <code>npm run site:serve -- --target src</code>. If a lesson the settings need is not done
yet, the page says which one.</p>
`;
}
