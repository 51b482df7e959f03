/**
 * Provided: you do not need to edit this file.
 *
 * The numeric gradient checker of lesson 04, for tensors. It nudges every entry of every input, one at a time,
 * and estimates its gradient with central differences,
 *
 *     d f / d x[r][c]  ≈  (f(x[r][c] + h) - f(x[r][c] - h)) / 2h,
 *
 * which needs nothing but the forward pass, then compares it with what `backward()` computed.
 */
import {
  formatReport,
  type GradcheckOptions,
  type GradcheckReport,
  type GradcheckRow,
  gradcheckRow,
} from "./gradcheck";
import { shapeText, type Tensor } from "./tensor";

/**
 * Checks the gradients of `f()` with respect to every entry of each of `inputs`. `f` builds a 1 × 1 tensor (a
 * loss) from the current `data` of the inputs, so it is called again for every nudge:
 * `checkTensorGradients([x, w], () => x.matmul(w).tanh().sum())`. A row of the report is one entry, `W[1][0]`.
 */
export function checkTensorGradients(
  inputs: Tensor[],
  f: () => Tensor,
  options: GradcheckOptions = {},
): GradcheckReport {
  const { h = 1e-6, rtol = 1e-5, atol = 1e-8 } = options;
  const root = (): Tensor => {
    const out = f();
    if (out.size !== 1) {
      throw new RangeError(`checkTensorGradients: f() must give a 1×1 tensor, got ${shapeText(out)}.`);
    }
    return out;
  };
  const value = (): number => root().data[0];

  for (const x of inputs) x.grad.fill(0);
  root().backward();
  const analytic = inputs.map((x) => Float64Array.from(x.grad));

  const rows: GradcheckRow[] = [];
  inputs.forEach((x, n) => {
    for (let i = 0; i < x.size; i++) {
      const original = x.data[i];
      x.data[i] = original + h;
      const above = value();
      x.data[i] = original - h;
      const below = value();
      x.data[i] = original;
      const numeric = (above - below) / (2 * h);
      const entry = `${x.label || `#${n}`}[${Math.floor(i / x.cols)}][${i % x.cols}]`;
      rows.push(gradcheckRow(entry, analytic[n][i], numeric, { rtol, atol }));
    }
  });
  return { ok: rows.every((row) => row.ok), rows };
}

/**
 * Like `checkTensorGradients`, but throws when any gradient is wrong, with a table of every entry, so that it
 * reads well as a test assertion: `expectTensorGradientsToMatch([x], () => x.tanh().sum())`.
 */
export function expectTensorGradientsToMatch(inputs: Tensor[], f: () => Tensor, options: GradcheckOptions = {}): void {
  const report = checkTensorGradients(inputs, f, options);
  if (!report.ok) {
    throw new Error(
      "backward() disagrees with the numeric gradient (rows marked ✗):\n" +
        formatReport(report) +
        "\nLook at the local backward step of the operations that feed the wrong entries.",
    );
  }
}
