/** The playground page's HTML: the controls and the empty pictures that main.ts fills in. */
import { CLASS_COLOURS, POINT_OUTLINE } from "../../lib/class-colours";
import { escapeHtml } from "../highlight";
import { ACTIVATIONS, DATA_SETS, LIMITS, LOSSES, OPTIMIZERS, REGULARIZATIONS } from "./settings";

export interface PlaygroundPageOptions {
  /** The course folder the page runs ("solutions", "src"). */
  target: string;
  /** Which bonus parts the target has: batch sizes above 1 (lesson 12), cross-entropy (11), optimizers and
   * regularization (13). */
  batches: boolean;
  crossEntropy: boolean;
  optimizers: boolean;
  regularization: boolean;
}

/**
 * A field of the form: its label, the control (given the attributes that tie it to its messages), the message
 * shown right below it when a typed value is refused, and a hint.
 */
function field(id: string, label: string, control: (aria: string) => string, hint = ""): string {
  const aria = `aria-describedby="${id}-problem${hint ? ` ${id}-hint` : ""}" aria-errormessage="${id}-problem"`;
  const problem = `<small id="${id}-problem" class="field-problem" role="alert" hidden></small>`;
  return `<div class="field"><label for="${id}">${label}</label>${control(aria)}${problem}${hint ? `<small id="${id}-hint">${hint}</small>` : ""}</div>`;
}

const typed = (id: string, label: string, attributes: string, hint = "") =>
  field(id, label, (aria) => `<input id="${id}" ${attributes} autocomplete="off" ${aria}>`, hint);
const number = (id: string, label: string, attributes: string, hint = "") =>
  typed(id, label, `type="number" ${attributes}`, hint);
const select = (id: string, label: string, choices: Record<string, string>, hint = "") =>
  field(
    id,
    label,
    (aria) =>
      `<select id="${id}" ${aria}>${Object.entries(choices)
        .map(([value, text]) => `<option value="${value}">${escapeHtml(text)}</option>`)
        .join("")}</select>`,
    hint,
  );
/** A slider with its value written beside it: it cannot hold a value outside its range. */
const slider = (id: string, label: string, range: { min: number; max: number }, hint = "") =>
  field(
    id,
    label,
    (aria) =>
      `<span class="slider"><input id="${id}" type="range" min="${range.min}" max="${range.max}" step="0.01" ${aria}><output id="${id}-value" for="${id}"></output></span>`,
    hint,
  );

export function playgroundBody(options: PlaygroundPageOptions): string {
  const runs =
    options.target === "solutions"
      ? "the course's reference code (<code>solutions/</code>)"
      : `your own code from <code>${escapeHtml(options.target)}/</code>`;
  const { positive, negative } = CLASS_COLOURS;
  const colours = `--positive: ${positive.point}; --negative: ${negative.point}; --outline: ${POINT_OUTLINE}`;
  return `<h1>Training playground</h1>
<p class="lead">Watch a network learn: the coloured plane is what it predicts everywhere, the dots are the data,
the tiles what each neuron computes and the lines its weights. The page trains with ${runs}, compiled for your
browser: its <code>Value</code>, <code>ANN</code>, losses, optimizers and regularization, in lesson 09's loop.</p>
<div id="pg-notice" class="notice" role="alert" hidden></div>
<p id="pg-problem" class="problem" role="alert" hidden></p>
<div class="pg" style="${colours}">
<div class="pg-run">
<div class="pg-buttons" role="group" aria-label="Training">
<button type="button" id="pg-start" disabled>Start</button>
<button type="button" id="pg-step" disabled>One update</button>
<button type="button" id="pg-reset" disabled>Reset</button>
</div>
<p id="pg-status" class="status" role="status" aria-live="polite">Loading the course code…</p>
<p id="pg-estimate" class="hint" hidden></p>
<dl class="pg-stats">
<div><dt>Epoch</dt><dd id="pg-epoch">0</dd></div>
<div><dt>Updates</dt><dd><span id="pg-updates">0</span> <progress id="pg-epoch-progress" max="1" value="0" aria-label="Updates into the epoch"></progress></dd></div>
<div><dt>Training loss</dt><dd id="pg-train-loss">–</dd></div>
<div><dt>Test loss</dt><dd id="pg-test-loss">–</dd></div>
<div><dt>Training accuracy</dt><dd id="pg-train-accuracy">–</dd></div>
<div><dt>Test accuracy</dt><dd id="pg-test-accuracy">–</dd></div>
<div><dt>Speed</dt><dd id="pg-speed">–</dd></div>
</dl>
</div>
<div class="pg-view">
<div class="pg-pictures">
<figure class="pg-figure pg-plane-figure">
<div id="pg-plane" class="pg-plane" role="img" aria-label="The network's prediction over the plane, not drawn yet">
<canvas id="pg-boundary-cells" width="1" height="1"></canvas>
<svg id="pg-boundary" aria-hidden="true"></svg>
</div>
<figcaption id="pg-boundary-caption"><span class="swatch positive"></span> +1 <span class="swatch negative"></span> −1: the plane is the network's prediction, paler where it is unsure. Dots are training points, diamonds test points.</figcaption>
</figure>
<figure class="pg-figure pg-network-figure">
<div id="pg-network" class="pg-network" role="img" aria-label="The network, not drawn yet"></div>
<figcaption id="pg-network-caption">The network, inputs on the left: each tile is a neuron's output over the plane, on the same colours. A line is a weight: blue positive, orange negative, wider for a larger weight.</figcaption>
</figure>
</div>
<p id="pg-grid-warning" class="problem" hidden>The pictures are drawn from the network's weights with lesson 07's forward pass, and your <code>ANN.forward</code> gives other outputs: they may not show your network. The numbers are your code's.</p>
<figure class="pg-figure">
<svg id="pg-loss-chart" class="pg-chart" role="img" aria-label="No epoch yet"></svg>
<figcaption>Loss per epoch: training (solid line) and test (dashed).</figcaption>
</figure>
<figure class="pg-figure">
<svg id="pg-accuracy-chart" class="pg-chart" role="img" aria-label="No epoch yet"></svg>
<figcaption>Accuracy per epoch: training (solid line) and test (dashed).</figcaption>
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
<legend>Data</legend>
${select("pg-data", "Data set", DATA_SETS)}
${number("pg-n", "Points", `min="${LIMITS.n.min}" max="${LIMITS.n.max}" step="1" inputmode="numeric"`, `${LIMITS.n.min} to ${LIMITS.n.max}`)}
${slider("pg-noise", "Noise", LIMITS.noise, "the spread added to every point")}
${slider("pg-test", "Held out for testing", LIMITS.test)}
${number("pg-seed", "Seed", `min="${LIMITS.seed.min}" step="1" inputmode="numeric"`, "picks the points, the test set and the first weights")}
</fieldset>
<fieldset>
<legend>Network</legend>
${typed("pg-net", "Layers", `type="text" spellcheck="false"`, `like 2-16-16-1: 2 inputs, up to ${LIMITS.hiddenLayers} hidden layers of ${LIMITS.width.min} to ${LIMITS.width.max}, 1 output`)}
${select("pg-activation", "Activation", ACTIVATIONS, "after every hidden layer")}
</fieldset>
<fieldset>
<legend>Training</legend>
${select("pg-lr", "Learning rate", {}, "can change while it trains")}
${options.regularization ? select("pg-regularization", "Regularization", REGULARIZATIONS, "can change while it trains") : ""}
${options.regularization ? select("pg-rate", "Regularization rate", {}) : ""}
${options.batches ? number("pg-batch", "Batch size", `min="1" step="1" inputmode="numeric"`, "1 is lesson 09's per-example SGD; more uses lesson 12's mini-batches") : ""}
${options.crossEntropy ? select("pg-loss", "Loss", LOSSES) : ""}
${options.optimizers ? select("pg-optimizer", "Optimizer", OPTIMIZERS) : ""}
${number("pg-epochs", "Stop after (epochs)", `min="${LIMITS.epochs.min}" max="${LIMITS.epochs.max}" step="1" inputmode="numeric"`, `${LIMITS.epochs.min} to ${LIMITS.epochs.max}`)}
</fieldset>
<fieldset>
<legend>The notebook's models</legend>
<p class="hint">Each trains one of lesson 10's five models on the study's data, as <code>npm run experiments</code> does with its first seed.</p>
<div id="pg-presets" class="pg-presets"></div>
</fieldset>
<p><a id="pg-link" href="?">Link to this run</a>: it reproduces the run exactly, with every change made while it trained.</p>
</form>
</div>
<h2 id="what-runs">What runs</h2>
<p>Every update is lesson 09's step: <code>zeroGrad()</code>, a forward pass of the batch through your <code>ANN</code>
(lessons 05 to 07, with your <code>tanh</code>, <code>relu</code> or <code>sigmoid</code> between the layers), the loss
(<code>seLoss</code>, lesson 08, or <code>bceWithLogitsLoss</code>, lesson 11) plus, with L1 or L2, the rate times
<code>l1Penalty</code> or <code>l2Penalty</code> of the weights (lesson 13), <code>backward()</code> (lessons 01 to 04)
and the update (<code>update(lr)</code>, lesson 07, or an optimizer of lesson 13, after <code>decayWeights</code> with
weight decay). Batches of more than one example come from lesson 12's <code>miniBatches</code>, in order. After each
epoch the network is measured on both sets with forward passes only, as lesson 09's <code>evaluate</code> does.</p>
<p>With tanh, batch size 1, squared error, plain SGD and no regularization, a notebook model here is the same run,
number for number, as in lesson 10's <code>npm run experiments</code> with the same seed. Training runs in a Web
Worker, so the page stays responsive; the pictures are redrawn at most once per frame.</p>
<p>To watch your own code: <code>npm run site:serve -- --target src</code>. If a lesson the settings need is not done
yet, the page says which one.</p>
`;
}
