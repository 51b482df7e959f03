/** The provided numeric gradient checker (solutions/gradcheck.ts) must catch a wrong derivative. */
import { describe, expect, test } from "vitest";
import { Value } from "../solutions/engine";
import { checkGradients, expectGradientsToMatch, formatReport } from "../solutions/gradcheck";

/** x² with a deliberately wrong local derivative (x instead of 2x), as a learner might write it. */
function buggySquare(x: Value): Value {
  const out = new Value(x.data * x.data, [x], "sq");
  out.localBackward = () => {
    x.grad += x.data * out.grad;
  };
  return out;
}

describe("checkGradients", () => {
  test("agrees with backward() on a correct expression, input by input", () => {
    const a = new Value(0.3, [], "", "a");
    const b = new Value(-1.2, [], "", "b");
    const report = checkGradients([a, b], () => a.mul(b).tanh().add(a.exp()));
    expect(report.ok).toBe(true);
    expect(report.rows.map((r) => r.input)).toEqual(["a", "b"]);
    for (const row of report.rows) expect(row.error).toBeLessThan(1e-8);
  });

  test("flags exactly the input whose derivative is wrong", () => {
    const a = new Value(1.5, [], "", "a");
    const b = new Value(2, [], "", "b");
    const report = checkGradients([a, b], () => buggySquare(a).add(b.mul(3)));
    expect(report.ok).toBe(false);
    expect(report.rows[0]).toMatchObject({ input: "a", ok: false, analytic: 1.5 });
    expect(report.rows[0].numeric).toBeCloseTo(3, 6);
    expect(report.rows[1].ok).toBe(true);
  });

  test("names unlabelled inputs by their position", () => {
    const report = checkGradients([new Value(1), new Value(2)], () => new Value(0));
    expect(report.rows.map((r) => r.input)).toEqual(["#0", "#1"]);
  });

  test("leaves the inputs' data as it found them", () => {
    const a = new Value(0.7);
    checkGradients([a], () => a.tanh());
    expect(a.data).toBe(0.7);
  });

  test("tolerates the tiny error of central differences but not a wrong sign", () => {
    const a = new Value(0.5, [], "", "a");
    expect(checkGradients([a], () => a.pow(3)).ok).toBe(true);
    const flipped = () => {
      const out = new Value(-a.data, [a], "neg");
      out.localBackward = () => {
        a.grad += out.grad;
      };
      return out;
    };
    expect(checkGradients([a], flipped).ok).toBe(false);
  });
});

describe("expectGradientsToMatch", () => {
  test("passes silently when the gradients agree", () => {
    const a = new Value(0.1);
    expect(() => expectGradientsToMatch([a], () => a.mul(a))).not.toThrow();
  });

  test("throws a table with input, analytic, numeric and error when they do not", () => {
    const a = new Value(1.5, [], "", "a");
    let message = "";
    try {
      expectGradientsToMatch([a], () => buggySquare(a));
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/disagrees with the numeric gradient/);
    expect(message).toMatch(/input\s+analytic\s+numeric\s+error/);
    expect(message).toMatch(/✗\s+a\s+1\.5000000\s+3\.0000000/);
  });
});

describe("formatReport", () => {
  test("aligns the columns", () => {
    const text = formatReport({
      ok: true,
      rows: [{ input: "w0", analytic: 1, numeric: 1, error: 0, ok: true }],
    });
    const [header, row] = text.split("\n");
    expect(header.length).toBe(row.length);
  });
});
