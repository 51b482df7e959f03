/**
 * Provided: you do not need to edit this file.
 *
 * The numeric gradient checker. It estimates every input's gradient with central differences,
 *
 *     d f / d x  ≈  (f(x + h) - f(x - h)) / 2h,
 *
 * which needs nothing but the forward pass, and compares it with what `backward()` computed.
 * If the two disagree, some local derivative is wrong. Use it whenever you add an operation.
 */
import type { Value } from "./engine";

export interface GradcheckOptions {
  /** The step of the central difference. */
  h?: number;
  /** Allowed error relative to the size of the gradients. */
  rtol?: number;
  /** Allowed absolute error, for gradients close to 0. */
  atol?: number;
}

export interface GradcheckRow {
  /** The input's label, or its position when it has none. */
  input: string;
  analytic: number;
  numeric: number;
  /** |analytic - numeric| */
  error: number;
  ok: boolean;
}

export interface GradcheckReport {
  ok: boolean;
  rows: GradcheckRow[];
}

/**
 * Checks the gradients of `f()` with respect to each of `inputs`.
 *
 * `f` builds the output from the current `data` of the inputs, so it is called again for every
 * nudge: `checkGradients([x, y], () => x.mul(y).tanh())`. The inputs may be leaves of any graph,
 * for example all the parameters of a network, with `f` computing its loss.
 */
export function checkGradients(inputs: Value[], f: () => Value, options: GradcheckOptions = {}): GradcheckReport {
  const { h = 1e-6, rtol = 1e-5, atol = 1e-8 } = options;

  for (const x of inputs) x.grad = 0;
  f().backward();
  const analytic = inputs.map((x) => x.grad);

  const rows = inputs.map((x, i) => {
    const original = x.data;
    x.data = original + h;
    const above = f().data;
    x.data = original - h;
    const below = f().data;
    x.data = original;
    const numeric = (above - below) / (2 * h);
    return gradcheckRow(x.label || `#${i}`, analytic[i], numeric, { rtol, atol });
  });
  return { ok: rows.every((row) => row.ok), rows };
}

/** One row of a report: the two gradients of one input, and whether they agree within the tolerances. */
export function gradcheckRow(
  input: string,
  analytic: number,
  numeric: number,
  { rtol, atol }: { rtol: number; atol: number },
): GradcheckRow {
  const error = Math.abs(analytic - numeric);
  const ok = error <= atol + rtol * Math.max(Math.abs(analytic), Math.abs(numeric));
  return { input, analytic, numeric, error, ok };
}

/**
 * Like `checkGradients`, but throws when any gradient is wrong, with a table of every input,
 * so that it reads well as a test assertion:
 *
 *     expectGradientsToMatch([x], () => x.tanh());
 */
export function expectGradientsToMatch(inputs: Value[], f: () => Value, options: GradcheckOptions = {}): void {
  const report = checkGradients(inputs, f, options);
  if (!report.ok) {
    throw new Error(
      "backward() disagrees with the numeric gradient (rows marked ✗):\n" +
        formatReport(report) +
        "\nLook at the local derivative of the operations that feed the wrong inputs.",
    );
  }
}

/** The report as an aligned text table. */
export function formatReport(report: GradcheckReport): string {
  const header = ["", "input", "analytic", "numeric", "error"];
  const lines = report.rows.map((r) => [
    r.ok ? "✓" : "✗",
    r.input,
    fmt(r.analytic),
    fmt(r.numeric),
    r.error.toExponential(1),
  ]);
  const table = [header, ...lines];
  const widths = header.map((_, c) => Math.max(...table.map((row) => row[c].length)));
  return table.map((row) => row.map((cell, c) => cell.padStart(widths[c])).join("  ")).join("\n");
}

function fmt(x: number): string {
  return Number.isFinite(x) ? x.toPrecision(8) : String(x);
}
