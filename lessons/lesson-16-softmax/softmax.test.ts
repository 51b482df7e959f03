/**
 * Lesson 16: many classes. Softmax, a stable log-softmax, one-hot rows, the mean cross-entropy of a batch of logits
 * against integer labels (PyTorch's CrossEntropyLoss with its defaults) with its gradient (softmax − one-hot) / B,
 * and argmax accuracy. Make these pass by writing the `lesson-16` regions of src/softmax.ts.
 *
 * Every expected value is computed here, from the formulas of the README, by code that shares nothing with the
 * code under test: plain numbers, Math.exp and Math.log. A failure names the entry that differs and, when the
 * numbers are those of a classic mistake (no max shift, the sum where the mean belongs, a wrong one-hot, labels off
 * by one), says which.
 */
import { argmax, classAccuracy, crossEntropy, logSoftmax, oneHot, softmax } from "@course/softmax";
import { Tensor } from "@course/tensor";
import { expectTensorGradientsToMatch } from "@course/tensor-gradcheck";
import { describe, expect, test } from "vitest";
import { type EntriesSuspect, expectEntries, explain } from "../test-helpers";

const T = (rows: number[][], label = "z") => Tensor.from(rows, label);

// The formulas, one row at a time, written out plainly ----------------------------------------------------------

/** log Σ e^z of one row, shifted by the row's maximum so that it is right at ±1000 too. */
const logSumExp = (row: number[]) => {
  const max = Math.max(...row);
  return max + Math.log(row.reduce((sum, z) => sum + Math.exp(z - max), 0));
};
const logSoftmaxRows = (rows: number[][]) => rows.map((row) => row.map((z) => z - logSumExp(row)));
const softmaxRows = (rows: number[][]) => logSoftmaxRows(rows).map((row) => row.map(Math.exp));
const oneHotRows = (labels: number[], classes: number) =>
  labels.map((label) => Array.from({ length: classes }, (_, j) => (j === label ? 1 : 0)));
/** The mean over the rows of −log-softmax(row)[label]. */
const meanCrossEntropy = (rows: number[][], labels: number[]) =>
  logSoftmaxRows(rows).reduce((sum, row, i) => sum - row[labels[i]], 0) / rows.length;
/** (softmax − onehot) / B, entry by entry. */
const crossEntropyGrad = (rows: number[][], labels: number[], onehot = oneHotRows(labels, rows[0].length)) =>
  softmaxRows(rows).map((row, i) => row.map((p, j) => (p - onehot[i][j]) / rows.length));
/** Labels moved by one class, wrapping round: what code that is off by one reads. */
const shifted = (labels: number[], by: number) => labels.map((l) => l + by);

/** Three examples of four classes: the logits a network might give, and their labels. */
const Z = [
  [2, 1, 0.1, -1],
  [0.5, 2.5, 0.5, -0.5],
  [-1, 0, 1, 3],
];
/** Labels away from the edges, so that labels off by one still name a column (and the tests can recognise them). */
const LABELS = [1, 2, 1];
/** Far apart logits: e^1000 is Infinity, so only a shifted formula gets these right. */
const HUGE = [
  [1000, 0, -1000],
  [-1000, -1000, -1000],
  [0, 1000, 999],
];
const NO_SHIFT =
  "not a finite number: e^1000 is Infinity in floating point (and Infinity / Infinity is NaN). No max shift? " +
  "Subtract each row's maximum from its logits before exp; the result does not change, and no exponent is positive.";

/**
 * Every entry of `got` is a finite number, or the message says why: the max shift is missing, unless the same code
 * fails at small logits too (`small`, the same computation on logits a thousand times smaller), where nothing overflows.
 */
function expectFinite(what: string, got: ArrayLike<number>, small: ArrayLike<number> = [0]): void {
  const bad = Array.from(got).findIndex((x) => !Number.isFinite(x));
  if (bad < 0) return;
  const why = Array.from(small).every(Number.isFinite)
    ? NO_SHIFT
    : "and so is the same at logits a thousand times smaller, where nothing overflows: a column read outside its " +
      "row? (labels off by one: class c is column c, counting from 0)";
  throw new Error(`${what}: entry ${bad} is ${got[bad]}, ${why}`);
}

/** HUGE a thousand times smaller: what the same code gives where nothing can overflow. */
const SMALL = HUGE.map((row) => row.map((z) => z / 1000));

/** Runs `out`'s local step once with out.grad = `outGrad`, the input's grad starting at `before`. */
function localStep(out: Tensor, input: Tensor, outGrad: number[][], before = 0): void {
  input.grad.fill(before);
  out.grad.set(outGrad.flat());
  out.localBackward();
}

/** out.grad for the local steps: not all ones, so a step that forgets out.grad shows. */
const G = [
  [1, -2, 0.5, 3],
  [0.25, 1, -1, 2],
  [-0.5, 0, 1.5, 1],
];

describe("softmax(logits)", () => {
  test("turns each row into probabilities: e^z[j] / Σ_k e^z[k], row by row", () => {
    // [1, 2, 3] by hand: e + e² + e³ = 30.19; e / 30.19 = 0.0900, e² / 30.19 = 0.2447, e³ / 30.19 = 0.6652.
    const rows = [
      [1, 2, 3],
      [0, 0, 0],
    ];
    const expected = softmaxRows(rows);
    const allAtOnce = rows.map((row) => row.map((z) => Math.exp(z) / rows.flat().reduce((s, v) => s + Math.exp(v), 0)));
    expectEntries("softmax of [[1, 2, 3], [0, 0, 0]]", softmax(T(rows)).data, expected, [
      [
        allAtOnce,
        "each entry was divided by the sum over the whole tensor: softmax divides by the sum of its own row.",
      ],
      [rows.map((row) => row.map(Math.exp)), "those are e^z alone: divide each by the sum of its row's e^z."],
    ]);
  });

  test("records op 'softmax' and the logits as its child, with their shape", () => {
    const z = T(Z);
    const p = softmax(z);
    expect(p.op, "the op").toBe("softmax");
    expect(p.children, "its one child: the logits").toEqual([z]);
    expect(p.shape, "one probability per logit").toEqual(z.shape);
  });

  test("stays finite at logits of ±1000, where e^z overflows: each row's maximum is subtracted first", () => {
    const p = softmax(T(HUGE)).data;
    expectFinite("softmax of [[1000, 0, −1000], ...]", p, softmax(T(SMALL)).data);
    expectEntries("softmax of logits ±1000", p, softmaxRows(HUGE));
  });

  test("passes each logit d p[j] / d z[k] = p[j] (1[j = k] − p[k]) times out.grad, summed over j, and adds it (+=)", () => {
    const z = T(Z);
    const p = softmax(z);
    localStep(p, z, G, 0.5);
    const probabilities = softmaxRows(Z);
    const expected = probabilities.map((row, i) => {
      const weighted = row.reduce((sum, pj, j) => sum + pj * G[i][j], 0);
      return row.map((pk, k) => 0.5 + pk * (G[i][k] - weighted));
    });
    const suspects: EntriesSuspect[] = [
      [expected.map((row) => row.map((g) => g - 0.5)), "the grad that was already there is gone: add to it (+=)."],
      [
        probabilities.map((row, i) => row.map((pk, k) => 0.5 + pk * (1 - pk) * G[i][k])),
        "that is only the diagonal p[k] (1 − p[k]): every p[j] depends on every z[k], so sum over j.",
      ],
    ];
    expectEntries("the logits' grad after softmax's local step", z.grad, expected, suspects);
  });

  test("agrees with the numeric gradient, inside a graph", () => {
    const z = T(Z);
    const w = T(G, "w");
    expectTensorGradientsToMatch([z], () => softmax(z).mul(w).sum());
  });
});

describe("logSoftmax(logits)", () => {
  test("gives z − log Σ e^z for each row", () => {
    // [1, 2, 3] by hand: log(e + e² + e³) = 3.4076, so −2.4076, −1.4076, −0.4076.
    const rows = [
      [1, 2, 3],
      [0.5, -0.5, 0],
    ];
    const expected = logSoftmaxRows(rows);
    expectEntries("logSoftmax of [[1, 2, 3], [0.5, −0.5, 0]]", logSoftmax(T(rows)).data, expected, [
      [softmaxRows(rows), "those are the probabilities (softmax): log-softmax is their logarithm, z − log Σ e^z."],
      [
        rows.map((row) => row.map((z) => z - Math.log(rows.flat().reduce((s, v) => s + Math.exp(v), 0)))),
        "the log Σ e^z was taken over the whole tensor: each row has its own.",
      ],
    ]);
  });

  test("records op 'logSoftmax' and the logits as its child", () => {
    const z = T(Z);
    const y = logSoftmax(z);
    expect(y.op, "the op").toBe("logSoftmax");
    expect(y.children, "its one child: the logits").toEqual([z]);
    expect(y.shape).toEqual(z.shape);
  });

  test("stays finite at logits of ±1000: log Σ e^z = max + log Σ e^(z − max)", () => {
    const y = logSoftmax(T(HUGE)).data;
    expectFinite("logSoftmax of [[1000, 0, −1000], ...]", y, logSoftmax(T(SMALL)).data);
    // By hand: [1000, 0, −1000] gives [0, −1000, −2000]; three equal logits give log(1/3) each.
    expectEntries("logSoftmax of logits ±1000", y, logSoftmaxRows(HUGE));
  });

  test("passes each logit dy[k] − p[k] · Σ_j dy[j], and adds it (+=)", () => {
    const z = T(Z);
    const y = logSoftmax(z);
    localStep(y, z, G, 0.5);
    const probabilities = softmaxRows(Z);
    const expected = probabilities.map((row, i) => {
      const total = G[i].reduce((sum, g) => sum + g, 0);
      return row.map((pk, k) => 0.5 + G[i][k] - pk * total);
    });
    expectEntries("the logits' grad after logSoftmax's local step", z.grad, expected, [
      [expected.map((row) => row.map((g) => g - 0.5)), "the grad that was already there is gone: add to it (+=)."],
      [
        G.map((row) => row.map((g) => 0.5 + g)),
        "that is out.grad alone: z[k] is also inside log Σ e^z, which takes p[k] · Σ_j dy[j] away.",
      ],
    ]);
  });

  test("agrees with the numeric gradient, inside a graph", () => {
    const z = T(Z);
    const w = T(G, "w");
    expectTensorGradientsToMatch([z], () => logSoftmax(z).mul(w).sum());
  });
});

describe("oneHot(labels, classes)", () => {
  test("gives one row per label with a 1 in the label's column: class 0 is column 0", () => {
    const labels = [1, 2, 1, 2];
    const got = oneHot(labels, 4);
    expect(got.shape, "one row per label, one column per class").toEqual([4, 4]);
    expectEntries("oneHot([1, 2, 1, 2], 4)", got.data, oneHotRows(labels, 4), [
      [
        oneHotRows(shifted(labels, -1), 4),
        "every 1 is one column to the left: labels off by one? Class c is column c.",
      ],
      [
        oneHotRows(shifted(labels, 1), 4),
        "every 1 is one column to the right: labels off by one? Class c is column c.",
      ],
    ]);
  });
});

describe("crossEntropy(logits, labels)", () => {
  test("is −log of the probability of the right class: log(1 + e^−1 + e^−2) for logits [2, 1, 0] and label 0", () => {
    const got = crossEntropy(T([[2, 1, 0]]), [0]).item();
    const expected = Math.log(1 + Math.exp(-1) + Math.exp(-2)); // 0.40761
    expect(
      got,
      explain("the loss of logits [2, 1, 0] for the label 0", expected, got, [
        [-expected, "that is log p, not −log p: the loss is the negative log-probability."],
        [
          Math.log(1 + Math.exp(1) + Math.exp(-1)),
          "that is the loss for the label 1: labels off by one? Class c is column c.",
        ],
        [Math.exp(-expected), "that is the probability itself: the loss is −log p."],
        [
          Number.NaN,
          "the loss read a column outside the row: labels off by one? Class c is column c, counting from 0.",
        ],
      ]),
    ).toBeCloseTo(expected, 12);
  });

  test("takes the mean over the batch, as PyTorch's CrossEntropyLoss does by default", () => {
    const got = crossEntropy(T(Z), LABELS).item();
    const expected = meanCrossEntropy(Z, LABELS);
    expect(
      got,
      explain("the loss of a batch of 3", expected, got, [
        [3 * expected, "that is the sum over the batch: the sum where the mean belongs. Divide by the number of rows."],
        [expected / 4, "that was divided by the number of entries (rows × classes): divide by the number of rows."],
        [meanCrossEntropy(Z, shifted(LABELS, 1)), "that is the loss for every label plus one: labels off by one?"],
        [meanCrossEntropy(Z, shifted(LABELS, -1)), "that is the loss for every label minus one: labels off by one?"],
      ]),
    ).toBeCloseTo(expected, 12);
  });

  test("records op 'crossEntropy', the logits as its one child, and is 1 × 1 (a loss to call backward on)", () => {
    const z = T(Z);
    const loss = crossEntropy(z, LABELS);
    expect(loss.op, "the op").toBe("crossEntropy");
    expect(loss.children, "its one child: the logits").toEqual([z]);
    expect(loss.shape, "one number").toEqual([1, 1]);
  });

  test("stays finite at logits of ±1000: 0 for the largest, 1000 and 2000 for the others", () => {
    for (const [label, expected] of [
      [0, 0],
      [1, 1000],
      [2, 2000],
    ]) {
      const got = crossEntropy(T([[1000, 0, -1000]]), [label]).item();
      const small = crossEntropy(T([[1, 0, -1]]), [label]).item();
      expectFinite(`the loss of logits [1000, 0, −1000] for the label ${label}`, [got], [small]);
      expect(got, `the loss of logits [1000, 0, −1000] for the label ${label}`).toBeCloseTo(expected, 9);
    }
    const small = crossEntropy(T(SMALL), [1, 0, 2]).item();
    expectFinite("the loss of the batch HUGE", [crossEntropy(T(HUGE), [1, 0, 2]).item()], [small]);
  });

  test("gives every logit (softmax − onehot) / B, times out.grad, and adds it (+=)", () => {
    const z = T(Z);
    const loss = crossEntropy(z, LABELS);
    localStep(loss, z, [[2]], 0.5);
    const right = crossEntropyGrad(Z, LABELS);
    const expected = right.map((row) => row.map((g) => 0.5 + 2 * g));
    const withGrad = (rows: number[][]) => rows.map((row) => row.map((g) => 0.5 + 2 * g));
    expectEntries("the logits' grad after crossEntropy's local step, with out.grad 2", z.grad, expected, [
      [expected.map((row) => row.map((g) => g - 0.5)), "the grad that was already there is gone: add to it (+=)."],
      [
        withGrad(right.map((row) => row.map((g) => 3 * g))),
        "that is B times too large: the sum where the mean belongs.",
      ],
      [right.map((row) => row.map((g) => 0.5 + g)), "the step forgot out.grad: multiply by the loss's grad."],
      [
        withGrad(softmaxRows(Z).map((row) => row.map((p) => p / 3))),
        "that is softmax / B: the one-hot is missing. A wrong one-hot? Take 1 away in each row's label column.",
      ],
      [
        withGrad(crossEntropyGrad(Z, LABELS, oneHotRows([0, 0, 0], 4))),
        "the one-hot has its 1 in column 0 in every row: a wrong one-hot. The 1 goes in the label's column.",
      ],
      [
        withGrad(crossEntropyGrad(Z, shifted(LABELS, 1))),
        "the 1s of the one-hot are one column to the right: labels off by one? Class c is column c.",
      ],
      [
        withGrad(crossEntropyGrad(Z, shifted(LABELS, -1))),
        "the 1s of the one-hot are one column to the left: labels off by one? Class c is column c.",
      ],
      [withGrad(right.map((row) => row.map((g) => -g))), "the sign is turned round: it is softmax − onehot."],
    ]);
  });

  test("agrees with the numeric gradient, through a layer and with labels in every column", () => {
    const x = T(
      [
        [0.5, -1, 2],
        [1, 0.25, -0.5],
        [-2, 1, 0],
        [0.3, 0.3, 0.3],
      ],
      "x",
    );
    const w = T(
      [
        [0.2, -0.4, 0.1, 0.7],
        [0.5, 0.3, -0.6, 0.2],
        [-0.1, 0.8, 0.4, -0.3],
      ],
      "W",
    );
    expectTensorGradientsToMatch([x, w], () => crossEntropy(x.matmul(w), [3, 0, 2, 1]).scale(3));
  });

  test("stays finite in its gradient at logits of ±1000: the probabilities are 1 and 0", () => {
    const z = T(HUGE);
    crossEntropy(z, [1, 0, 2]).backward();
    const small = T(SMALL);
    crossEntropy(small, [1, 0, 2]).backward();
    expectFinite("the grad of the logits HUGE", z.grad, small.grad);
    const right = crossEntropyGrad(HUGE, [1, 0, 2]);
    expectEntries("the grad of the logits HUGE", z.grad, right, [
      [right.map((row) => row.map((g) => 3 * g)), "that is B times too large: the sum where the mean belongs."],
    ]);
  });
});

describe("argmax and classAccuracy", () => {
  test("argmax gives each row's column of the largest entry, the first one on a tie", () => {
    const got = argmax(
      T([
        [0.1, 0.7, 0.2],
        [5, -1, 5],
        [-3, -2, -1],
      ]),
    );
    expect(got, "rows [0.1, 0.7, 0.2], [5, −1, 5] (a tie: the first), [−3, −2, −1]").toEqual([1, 0, 2]);
  });

  test("classAccuracy is the share of rows whose argmax is their label", () => {
    // Z's argmaxes are 0, 1 and 3: right, wrong (label 3), right.
    const got = classAccuracy(T(Z), [0, 3, 3]);
    expect(
      got,
      explain("the accuracy of Z for labels [0, 3, 3]", 2 / 3, got, [
        [2, "that is the number of right rows: divide by the number of rows."],
        [1 / 3, "that is the share of wrong rows."],
      ]),
    ).toBeCloseTo(2 / 3, 12);
    expect(classAccuracy(T(Z), [0, 1, 3]), "every row right").toBe(1);
    expect(classAccuracy(T(Z), [1, 0, 0]), "every row wrong").toBe(0);
  });
});
