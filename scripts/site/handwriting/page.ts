/** The handwriting page's HTML: the drawing pad, what the network sees, and its ten probabilities. */
import { escapeHtml } from "../highlight";

export interface HandwritingPageOptions {
  /** The course folder the page runs ("solutions", "src"). */
  target: string;
}

export function handwritingBody({ target }: HandwritingPageOptions): string {
  const code =
    target === "solutions"
      ? "the course's reference code (<code>solutions/</code>)"
      : `your own code from <code>${escapeHtml(target)}/</code>`;
  const bars = Array.from(
    { length: 10 },
    (_, digit) =>
      `<li data-digit="${digit}"><span class="hw-digit">${digit}</span><span class="hw-bar"><span class="hw-fill"></span></span><span class="hw-percent">–</span></li>`,
  ).join("\n");
  return `<h1>Read my handwriting</h1>
<p class="lead">Draw a digit, 0 to 9, with the mouse, a finger or a pen. The network of lesson 17 (784 inputs, 128 tanh
units, 10 outputs) reads it as you draw: the bars are its probabilities for each digit, lesson 16's softmax of its ten
logits. It was trained with ${code}, and it runs here in your browser with the same code.</p>
<div id="hw-notice" class="notice" role="alert" hidden></div>
<div class="hw">
<div class="hw-pad">
<canvas id="hw-canvas" width="280" height="280" role="img" aria-label="Drawing area: draw one digit here with the mouse, a finger or a pen"></canvas>
<div class="hw-actions"><button type="button" id="hw-clear">Clear</button></div>
</div>
<div class="hw-side">
<p id="hw-status" class="status" role="status" aria-live="polite">Loading the network…</p>
<p class="hw-answer">It reads: <output id="hw-prediction" for="hw-canvas">–</output></p>
<ol id="hw-probabilities" class="hw-bars" aria-label="The network's probability for each digit">
${bars}
</ol>
<figure class="hw-seen">
<canvas id="hw-preview" width="28" height="28" role="img" aria-label="Your drawing as the network sees it: 28 by 28 grey pixels"></canvas>
<figcaption>What the network sees: your drawing made into 28 × 28 pixels the way MNIST's digits were made.</figcaption>
</figure>
</div>
</div>
<h2 id="what-runs">What runs</h2>
<p>Your drawing goes through what MNIST's authors did to every digit: the ink's bounding box is scaled to fit a 20 × 20
box, keeping its proportions, each small pixel the average of the ink it covers; then it is placed in a 28 × 28 field
so that its centre of mass lies in the middle. Those 784 numbers are one row of a tensor, and the page calls the
network's <code>forward</code> (lesson 14) and <code>softmax</code> (lesson 16) on it after every stroke.</p>
<p>The network was trained when the site was built, by lesson 17's <code>trainRecipe</code> on the course's 8,000
training digits, for a few epochs: its accuracy on the 2,000 test digits is under the bars. It reads MNIST's digits
better than yours: they were written with a pen on paper, scanned and centred, and yours are drawn with a mouse. Big,
centred digits with strokes about as thick as the brush work best; a 1 written as a bare stroke and a 7 without its
bar are harder than they look.</p>
<p>To run your own network: <code>npm run site:serve -- --target src</code>, with lessons 14, 16 and 17 done. The
site trains it once when it is built, and keeps it in <code>.course/</code> until your code changes.</p>
`;
}
