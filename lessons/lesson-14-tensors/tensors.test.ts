/**
 * Lesson 14: a vectorized engine. A Tensor holds a whole matrix and remembers how it was computed; its local
 * backward steps are lesson 01's, entry by entry. Make these pass by writing the `lesson-14` regions of
 * src/tensor.ts and src/tensor-nn.ts.
 *
 * Most tests use small tensors worked out by hand (the README does the matmul and the broadcast in full). A failing
 * test names the operation, the operand and the first entry that differs, and the likely mistake when it sees one.
 */
import { batchLoss, trainEpochInBatches } from "@course/batches";
import { type Dataset, makeMoons, toSigned } from "@course/data";
import { bceWithLogitsLoss, meanSeLoss } from "@course/loss";
import { ANN } from "@course/nn";
import { Adam } from "@course/optim";
import { Random } from "@course/random";
import { Tensor } from "@course/tensor";
import { expectTensorGradientsToMatch } from "@course/tensor-gradcheck";
import { entries, Linear, MLP, meanBceWithLogits, mseLoss, toBatch } from "@course/tensor-nn";
import { describe, expect, test } from "vitest";
import { type EntriesSuspect, expectEntries, largestDifference, withoutRecursion } from "../test-helpers";

const T = (rows: number[][], label = "") => Tensor.from(rows, label);
/** `rows` with `f` applied to every entry. */
const each = (rows: number[][], f: (x: number, r: number, c: number) => number) =>
  rows.map((row, r) => row.map((x, c) => f(x, r, c)));
/** The product of two matrices given as rows, written out plainly (the reference the tests compare with). */
const times = (a: number[][], b: number[][]) =>
  a.map((row) => b[0].map((_, j) => row.reduce((sum, aik, k) => sum + aik * b[k][j], 0)));
const transpose = (a: number[][]) => a[0].map((_, j) => a.map((row) => row[j]));
const plus = (a: number[][], b: number[][]) => each(a, (x, r, c) => x + b[r][c]);

/** Runs `out.localBackward()` once, with out.grad set to `outGrad` and every operand's grad set to `before`. */
function localStep(out: Tensor, outGrad: number[][], operands: Tensor[], before = 0): void {
  for (const t of operands) t.grad.fill(before);
  out.grad.set(outGrad.flat());
  out.localBackward();
}

/** The mistakes any local step can make, for an operand whose right grad (from zero) is `right`. */
function stepSuspects(op: string, operand: string, right: number[][], before: number): EntriesSuspect[] {
  return [
    [right, `the grad that was already in ${operand} is gone: ${op}'s local step must add to it (+=, not =).`],
    [
      // relu's step writes only where x > 0: with =, those entries lose what was there and the others keep it.
      each(right, (x) => (x === 0 ? before : x)),
      `the grad that was already in ${operand} is gone where the step wrote: ${op}'s local step must add to it (+=, not =).`,
    ],
    [
      each(right, (x) => before - x),
      `${op}'s local step subtracted from ${operand}'s grad: it adds (+=), it does not subtract.`,
    ],
  ];
}

// Elementwise operations --------------------------------------------------------------------------------------

/** 2 × 3, with a 0 (for relu) and both signs. */
const X = [
  [0.5, -1.5, 0],
  [2, -0.25, 1],
];
/** out.grad for the local steps: not all ones, so a missing `* out.grad` shows. */
const G = [
  [1, -2, 0.5],
  [3, 0.25, -1],
];

interface Elementwise {
  op: string;
  /** The op the output records: "tanh", or "*2.5" and "**3" (as lesson 01's pow records "**3"). */
  recorded: string;
  /** What it computes, for test names: "tanh", "x³". */
  says: string;
  apply: (x: Tensor) => Tensor;
  value: (x: number) => number;
  /** The local derivative at x, where y is the value there. */
  slope: (x: number, y: number) => number;
  slopeSays: string;
  /** Wrong values the learner may compute, each with what went wrong. */
  valueMistakes: [(x: number) => number, string][];
  /** Wrong local derivatives, each with what went wrong. */
  slopeMistakes: [(x: number, y: number) => number, string][];
  /** Where to check the gradient numerically (away from relu's kink). */
  gradcheckAt: number[][];
}

const sigmoidOf = (x: number) => 1 / (1 + Math.exp(-x));

const ELEMENTWISE: Elementwise[] = [
  {
    op: "tanh",
    recorded: "tanh",
    says: "tanh of every entry",
    apply: (x) => x.tanh(),
    value: Math.tanh,
    slope: (_, y) => 1 - y * y,
    slopeSays: "1 − t², t = tanh(x)",
    valueMistakes: [],
    slopeMistakes: [
      [(_, y) => y, "that is t itself: the derivative of tanh is 1 − t²."],
      [(_, y) => 1 - y, "that is 1 − t: the derivative of tanh is 1 − t² (t times t)."],
      [(x) => 1 - x * x, "that is 1 − x²: square the output t = tanh(x), not the input."],
    ],
    gradcheckAt: X,
  },
  {
    op: "sigmoid",
    recorded: "sigmoid",
    says: "1 / (1 + e^-x) of every entry",
    apply: (x) => x.sigmoid(),
    value: sigmoidOf,
    slope: (_, y) => y * (1 - y),
    slopeSays: "s · (1 − s), s = sigmoid(x)",
    valueMistakes: [[(x) => 1 / (1 + Math.exp(x)), "that is 1 / (1 + e^x): the exponent is −x."]],
    slopeMistakes: [
      [(_, y) => y, "that is s: the derivative of the sigmoid is s · (1 − s)."],
      [(_, y) => 1 - y * y, "that is 1 − s², tanh's derivative: the sigmoid's is s · (1 − s)."],
    ],
    gradcheckAt: X,
  },
  {
    op: "relu",
    recorded: "relu",
    says: "max(0, x) of every entry",
    apply: (x) => x.relu(),
    value: (x) => Math.max(0, x),
    slope: (x) => (x > 0 ? 1 : 0),
    slopeSays: "1 where x > 0 and 0 elsewhere (0 at x = 0, as lesson 02)",
    valueMistakes: [[(x) => Math.min(0, x), "that is min(0, x): relu keeps the positive part."]],
    slopeMistakes: [
      [(x) => (x >= 0 ? 1 : 0), "at x = 0 the grad should be 0: pass it on only where x > 0, as lesson 02 does."],
      [(x) => Math.max(0, x), "that is relu(x) itself: its derivative is 1 where x > 0 and 0 elsewhere."],
    ],
    gradcheckAt: [
      [0.5, -1.5, 0.3],
      [2, -0.25, 1],
    ],
  },
  {
    op: "softplus",
    recorded: "softplus",
    says: "ln(1 + e^x) of every entry",
    apply: (x) => x.softplus(),
    value: (x) => Math.log(1 + Math.exp(x)),
    slope: sigmoidOf,
    slopeSays: "sigmoid(x)",
    valueMistakes: [
      [(x) => Math.max(x, 0), "that is max(x, 0) alone: add ln(1 + e^-|x|)."],
      [(x) => Math.log1p(Math.exp(-Math.abs(x))), "that is ln(1 + e^-|x|) alone: add max(x, 0)."],
    ],
    slopeMistakes: [
      [(x) => sigmoidOf(-x), "that is sigmoid(−x): the derivative of ln(1 + e^x) is sigmoid(+x)."],
      [(x) => Math.log(1 + Math.exp(x)), "that is softplus itself: its derivative is sigmoid(x)."],
    ],
    gradcheckAt: X,
  },
  {
    op: "scale",
    recorded: "*2.5",
    says: "2.5 times every entry (scale(2.5))",
    apply: (x) => x.scale(2.5),
    value: (x) => 2.5 * x,
    slope: () => 2.5,
    slopeSays: "the factor, 2.5",
    valueMistakes: [[(x) => 2.5 + x, "that is 2.5 + x: scale multiplies."]],
    slopeMistakes: [[(x) => x, "that is x: the derivative of 2.5 · x is 2.5."]],
    gradcheckAt: X,
  },
  {
    op: "pow",
    recorded: "**3",
    says: "x³ of every entry (pow(3))",
    apply: (x) => x.pow(3),
    value: (x) => x ** 3,
    slope: (x) => 3 * x ** 2,
    slopeSays: "3 · x²",
    valueMistakes: [[(x) => 3 * x, "that is 3 · x: raise every entry to the power 3."]],
    slopeMistakes: [
      [(x) => x ** 2, "that is x²: the derivative of x³ is 3 · x², keep the exponent in front."],
      [(x) => 3 * x ** 3, "that is 3 · x³: the power goes down by one, 3 · x²."],
      [(x) => 3 * x ** 4, "that is 3 · x⁴: the power goes down by one (exponent − 1), not up."],
    ],
    gradcheckAt: X,
  },
];

// Titled "%s" with the op's name: "$op" would quote it ("'tanh'"), and the hints name these blocks.
describe.each(ELEMENTWISE.map((spec) => [spec.op, spec] as const))("%s", (op, spec) => {
  test(`computes ${spec.says}, keeping the shape`, () => {
    const out = spec.apply(T(X));
    expect(out.shape, `${op} of a 2×3 tensor is 2×3`).toEqual([2, 3]);
    expectEntries(
      `${op}(x).data`,
      out.data,
      each(X, spec.value),
      spec.valueMistakes.map(([f, mistake]) => [each(X, f), mistake]),
    );
  });

  test(`records its one child and the op "${spec.recorded}"`, () => {
    const x = T(X);
    const out = spec.apply(x);
    expect(out.children, `${op}(x) was computed from x alone`).toEqual([x]);
    expect(out.op, "the op says what made the tensor").toBe(spec.recorded);
  });

  test(`its local step gives x the grad ${spec.slopeSays}, times out.grad, entry by entry`, () => {
    const x = T(X, "x");
    const out = spec.apply(x);
    localStep(out, G, [x]);
    const slopes = each(X, (v) => spec.slope(v, spec.value(v)));
    expectEntries(
      `${op}'s local step: x.grad`,
      x.grad,
      each(slopes, (s, r, c) => s * G[r][c]),
      [
        [slopes, `that is the local derivative alone: ${op}'s local step multiplies it by out.grad.`],
        ...spec.slopeMistakes.map(
          ([f, mistake]) => [each(X, (v, r, c) => f(v, spec.value(v)) * G[r][c]), mistake] as EntriesSuspect,
        ),
      ],
    );
  });

  test("its local step adds to the grad already in x (+=, not =)", () => {
    const x = T(X, "x");
    const out = spec.apply(x);
    localStep(out, G, [x], 3);
    const right = each(X, (v, r, c) => spec.slope(v, spec.value(v)) * G[r][c]);
    expectEntries(
      `${op}'s local step with 3 in every entry of x.grad before: x.grad`,
      x.grad,
      each(right, (g) => 3 + g),
      stepSuspects(op, "x", right, 3),
    );
  });

  test(`gradcheck: backward agrees with the numeric gradient through ${op}`, () => {
    const x = T(spec.gradcheckAt, "x");
    const w = T(
      [
        [0.7, -1.1, 0.4],
        [-0.3, 0.9, 1.3],
      ],
      "w",
    );
    expectTensorGradientsToMatch([x, w], () => spec.apply(x).mul(w).sum());
  });
});

function zeros(rows: number[][]): number[][] {
  return each(rows, () => 0);
}

describe("softplus far from 0", () => {
  test("stays finite where e^x overflows: softplus(±1000) is 1000 and 0, with slopes 1 and 0", () => {
    const x = T([[1000, -1000]]);
    const out = x.softplus();
    expectEntries(
      "softplus([[1000, -1000]]).data",
      out.data,
      [[1000, 0]],
      [[[[Infinity, 0]], "ln(1 + e^1000) overflowed: compute max(x, 0) + ln(1 + e^-|x|)."]],
    );
    localStep(out, [[1, 1]], [x]);
    expectEntries("softplus's local step at ±1000, out.grad = 1: x.grad", x.grad, [[1, 0]]);
  });
});

// Two operands ------------------------------------------------------------------------------------------------

const A = [
  [1, 2],
  [3, 4],
];
const B = [
  [5, 6],
  [7, 8],
];
/** out.grad for the two-operand steps. */
const G2 = [
  [1, -1],
  [2, 0.5],
];

describe("matmul", () => {
  test("multiplies a 2×3 by a 3×2 into a 2×2: entry (i, j) is row i of a times column j of b", () => {
    const a = [
      [1, 2, 3],
      [4, 5, 6],
    ];
    const b = [
      [7, 8],
      [9, 10],
      [11, 12],
    ];
    const out = T(a).matmul(T(b));
    expect(out.shape, "(2 × 3) · (3 × 2) is 2 × 2").toEqual([2, 2]);
    expectEntries("matmul(a, b).data", out.data, times(a, b));
  });

  test("multiplies 2×2 matrices as the README works out: [[1, 2], [3, 4]] · [[5, 6], [7, 8]] = [[19, 22], [43, 50]]", () => {
    expectEntries("matmul(a, b).data", T(A).matmul(T(B)).data, times(A, B), [
      [each(A, (x, r, c) => x * B[r][c]), "that is the product entry by entry (mul): matmul sums row times column."],
      [times(B, A), "that is b · a: the order matters, a · b."],
    ]);
  });

  test('records both children and the op "matmul"', () => {
    const a = T(A);
    const b = T(B);
    const out = a.matmul(b);
    expect(out.children, "a · b was computed from a and b, in that order").toEqual([a, b]);
    expect(out.op).toBe("matmul");
  });

  test("its local step gives a the grad out.grad · bᵀ", () => {
    const a = T(A, "a");
    const b = T(B, "b");
    localStep(a.matmul(b), G2, [a, b]);
    expectEntries("matmul's local step: a.grad", a.grad, times(G2, transpose(B)), [
      [times(G2, B), "that is out.grad · b: a's grad is out.grad · bᵀ, b transposed."],
      [
        each(A, (_, i, k) => G2[i][1] * B[k][1]),
        "that is the last column's term alone: a[i][k]'s grad adds up out.grad[i][j] · b[k][j] over every j.",
      ],
      [times(transpose(A), G2), "that is aᵀ · out.grad, the grad of b: a's grad is out.grad · bᵀ."],
      [times(transpose(B), G2), "that is bᵀ · out.grad: a's grad is out.grad · bᵀ (out.grad on the left)."],
    ]);
  });

  test("its local step gives b the grad aᵀ · out.grad", () => {
    const a = T(A, "a");
    const b = T(B, "b");
    localStep(a.matmul(b), G2, [a, b]);
    expectEntries("matmul's local step: b.grad", b.grad, times(transpose(A), G2), [
      [times(A, G2), "that is a · out.grad: b's grad is aᵀ · out.grad, a transposed."],
      [
        each(B, (_, k, j) => A[1][k] * G2[1][j]),
        "that is the last row's term alone: b[k][j] is used by every row i of a, so its grad adds up all of them (+=).",
      ],
      [times(G2, transpose(B)), "that is out.grad · bᵀ, the grad of a: b's grad is aᵀ · out.grad."],
      [times(G2, transpose(A)), "that is out.grad · aᵀ: b's grad is aᵀ · out.grad (out.grad on the right)."],
    ]);
  });

  test("its local step adds to the grad already in a (+=, not =)", () => {
    const a = T(A, "a");
    const b = T(B, "b");
    localStep(a.matmul(b), G2, [a, b], 3);
    const right = times(G2, transpose(B));
    expectEntries(
      "matmul's local step with 3 in every entry of a.grad before: a.grad",
      a.grad,
      each(right, (g) => 3 + g),
      stepSuspects("matmul", "a", right, 3),
    );
  });

  test("its local step adds to the grad already in b (+=, not =)", () => {
    const a = T(A, "a");
    const b = T(B, "b");
    localStep(a.matmul(b), G2, [a, b], 3);
    const right = times(transpose(A), G2);
    expectEntries(
      "matmul's local step with 3 in every entry of b.grad before: b.grad",
      b.grad,
      each(right, (g) => 3 + g),
      stepSuspects("matmul", "b", right, 3),
    );
  });

  test("a tensor multiplied by itself, x · x, gets both contributions: out.grad · xᵀ + xᵀ · out.grad", () => {
    const x = T(A, "x");
    localStep(x.matmul(x), G2, [x]);
    const asLeft = times(G2, transpose(A));
    const asRight = times(transpose(A), G2);
    expectEntries("x.grad after the local step of x · x", x.grad, plus(asLeft, asRight), [
      [asLeft, "that is x's grad as the left factor only: the right factor's share was overwritten (+=, not =)."],
      [asRight, "that is x's grad as the right factor only: the left factor's share was overwritten (+=, not =)."],
    ]);
  });

  test("gradcheck: backward agrees with the numeric gradient through a 2×3 times a 3×4", () => {
    const a = T(
      [
        [0.3, -1.2, 0.8],
        [1.5, 0.1, -0.6],
      ],
      "a",
    );
    const b = T(
      [
        [0.2, -0.4, 1.1, 0.5],
        [-0.9, 0.7, 0.3, -1.4],
        [0.6, 1.2, -0.8, 0.9],
      ],
      "b",
    );
    expectTensorGradientsToMatch([a, b], () => a.matmul(b).tanh().sum());
  });
});

/** 3 × 2, and a bias row to add to every row of it. */
const M = [
  [1, 2],
  [3, 4],
  [5, 6],
];
const ROW = [[10, 20]];
const G3 = [
  [1, -2],
  [0.5, 3],
  [-1, 4],
];
const columnSums = (rows: number[][]) => [rows[0].map((_, c) => rows.reduce((sum, row) => sum + row[c], 0))];

describe.each([
  ["add", { sign: 1, symbol: "+", apply: (a: Tensor, b: Tensor) => a.add(b) }],
  ["sub", { sign: -1, symbol: "-", apply: (a: Tensor, b: Tensor) => a.sub(b) }],
] as const)("%s", (op, { sign, symbol, apply }) => {
  const combine = (x: number, y: number) => x + sign * y;
  const said = sign > 0 ? "adds" : "subtracts";

  test(`${said} two tensors of the same shape entry by entry`, () => {
    expectEntries(
      `${op}(a, b).data`,
      apply(T(A), T(B)).data,
      each(A, (x, r, c) => combine(x, B[r][c])),
      [[each(A, (x, r, c) => x - sign * B[r][c]), `that is a ${sign > 0 ? "−" : "+"} b: ${op} is a ${symbol} b.`]],
    );
  });

  test(`${said} a 1×2 row to every row of a 3×2 (broadcasting, like a bias)`, () => {
    const out = apply(T(M), T(ROW));
    expect(out.shape, `${op} of 3×2 and a 1×2 row is 3×2`).toEqual([3, 2]);
    expectEntries(
      `${op}(a, row).data`,
      out.data,
      each(M, (x, _, c) => combine(x, ROW[0][c])),
    );
  });

  test(`records both children and the op "${symbol}"`, () => {
    const a = T(A);
    const b = T(B);
    const out = apply(a, b);
    expect(out.children, `a ${symbol} b was computed from a and b, in that order`).toEqual([a, b]);
    expect(out.op).toBe(symbol);
  });

  test(`its local step gives a the grad out.grad and b ${sign > 0 ? "out.grad" : "−out.grad"}, for the same shape`, () => {
    const a = T(A, "a");
    const b = T(B, "b");
    localStep(apply(a, b), G2, [a, b]);
    expectEntries(`${op}'s local step: a.grad`, a.grad, G2);
    expectEntries(
      `${op}'s local step: b.grad`,
      b.grad,
      each(G2, (g) => sign * g),
      [[each(G2, (g) => -sign * g), `the sign of b's grad is wrong: d(a ${symbol} b)/db is ${sign}.`]],
    );
  });

  test(`its local step gives a broadcast row the sum of ${sign > 0 ? "out.grad" : "−out.grad"} over the rows`, () => {
    const a = T(M, "a");
    const row = T(ROW, "row");
    localStep(apply(a, row), G3, [a, row]);
    expectEntries(`${op}'s local step: a.grad`, a.grad, G3);
    expectEntries(
      `${op}'s local step: row.grad`,
      row.grad,
      each(columnSums(G3), (g) => sign * g),
      [
        [
          [G3[2].map((g) => sign * g)],
          "that is the last row's grad alone: every row used the broadcast row, so its grad adds up all of them (+=).",
        ],
        [[G3[0].map((g) => sign * g)], "that is the first row's grad alone: add up the grads of every row."],
      ],
    );
  });

  test("its local step adds to the grads already in a and b (+=, not =)", () => {
    const a = T(A, "a");
    const b = T(B, "b");
    localStep(apply(a, b), G2, [a, b], 3);
    expectEntries(
      `${op}'s local step with 3 in every entry of a.grad before: a.grad`,
      a.grad,
      each(G2, (g) => 3 + g),
      stepSuspects(op, "a", G2, 3),
    );
    const right = each(G2, (g) => sign * g);
    expectEntries(
      `${op}'s local step with 3 in every entry of b.grad before: b.grad`,
      b.grad,
      each(right, (g) => 3 + g),
      stepSuspects(op, "b", right, 3),
    );
  });

  test("gradcheck: backward agrees with the numeric gradient, for the same shape and for a broadcast row", () => {
    const a = T(
      [
        [0.3, -1.2],
        [1.5, 0.1],
        [-0.6, 0.8],
      ],
      "a",
    );
    const same = T(
      [
        [0.2, 0.4],
        [-0.9, 0.7],
        [0.6, -1.2],
      ],
      "b",
    );
    const row = T([[0.5, -0.3]], "row");
    expectTensorGradientsToMatch([a, same], () => apply(a, same).tanh().sum());
    expectTensorGradientsToMatch([a, row], () => apply(a, row).tanh().sum());
  });
});

describe("mul (entry by entry)", () => {
  test("multiplies two tensors of the same shape entry by entry", () => {
    expectEntries(
      "mul(a, b).data",
      T(A).mul(T(B)).data,
      each(A, (x, r, c) => x * B[r][c]),
      [[times(A, B), "that is the matrix product: mul multiplies entry by entry (matmul is the other one)."]],
    );
  });

  test('records both children and the op "*"', () => {
    const a = T(A);
    const b = T(B);
    const out = a.mul(b);
    expect(out.children, "a * b was computed from a and b, in that order").toEqual([a, b]);
    expect(out.op).toBe("*");
  });

  test("its local step gives a the grad b · out.grad and b the grad a · out.grad, entry by entry", () => {
    const a = T(A, "a");
    const b = T(B, "b");
    localStep(a.mul(b), G2, [a, b]);
    const swapped = "that is the operand's own data times out.grad: a's grad uses b's data, and b's uses a's.";
    expectEntries(
      "mul's local step: a.grad",
      a.grad,
      each(B, (x, r, c) => x * G2[r][c]),
      [
        [each(A, (x, r, c) => x * G2[r][c]), swapped],
        [B, "that is b alone: multiply it by out.grad."],
      ],
    );
    expectEntries(
      "mul's local step: b.grad",
      b.grad,
      each(A, (x, r, c) => x * G2[r][c]),
      [
        [each(B, (x, r, c) => x * G2[r][c]), swapped],
        [A, "that is a alone: multiply it by out.grad."],
      ],
    );
  });

  test("its local step adds to the grads already in a and b (+=, not =)", () => {
    const a = T(A, "a");
    const b = T(B, "b");
    localStep(a.mul(b), G2, [a, b], 3);
    const rightA = each(B, (x, r, c) => x * G2[r][c]);
    const rightB = each(A, (x, r, c) => x * G2[r][c]);
    expectEntries(
      "mul's local step with 3 in every entry of a.grad before: a.grad",
      a.grad,
      each(rightA, (g) => 3 + g),
      stepSuspects("mul", "a", rightA, 3),
    );
    expectEntries(
      "mul's local step with 3 in every entry of b.grad before: b.grad",
      b.grad,
      each(rightB, (g) => 3 + g),
      stepSuspects("mul", "b", rightB, 3),
    );
  });

  test("a tensor multiplied by itself, x * x, gets both contributions: 2 · x · out.grad", () => {
    const x = T(A, "x");
    localStep(x.mul(x), G2, [x]);
    const once = each(A, (v, r, c) => v * G2[r][c]);
    expectEntries(
      "x.grad after the local step of x * x",
      x.grad,
      each(once, (g) => 2 * g),
      [[once, "that is one factor's share only: the other overwrote it (+=, not =)."]],
    );
  });
});

describe("sum and mean", () => {
  test("sum adds up every entry into a 1×1 tensor", () => {
    const out = T(X).sum();
    expect(out.shape, "the sum is one number, 1×1").toEqual([1, 1]);
    expectEntries("sum(x).data", out.data, [[X.flat().reduce((s, v) => s + v, 0)]]);
    expect(out.op).toBe("sum");
  });

  test("mean adds up every entry and divides by how many there are", () => {
    const out = T(X).mean();
    const total = X.flat().reduce((s, v) => s + v, 0);
    expect(out.shape, "the mean is one number, 1×1").toEqual([1, 1]);
    expectEntries(
      "mean(x).data",
      out.data,
      [[total / 6]],
      [
        [[[total]], "that is the sum: divide it by the number of entries, 6."],
        [[[total / 2]], "that divides by the number of rows: divide by every entry, rows × columns = 6."],
        [[[total / 3]], "that divides by the number of columns: divide by every entry, rows × columns = 6."],
      ],
    );
    expect(out.op).toBe("mean");
  });

  test("sum's local step gives every entry out.grad, added to what was there", () => {
    const x = T(X, "x");
    const out = x.sum();
    expect(out.children, "the sum was computed from x").toEqual([x]);
    localStep(out, [[3]], [x], 1);
    expectEntries(
      "sum's local step with out.grad = 3 and 1 in x.grad before: x.grad",
      x.grad,
      each(X, () => 4),
      [
        [each(X, () => 3), "the grad that was already in x is gone: add to it (+=, not =)."],
        [each(X, () => 2), "that adds 1 to every entry: the slope is 1, times out.grad (3)."],
      ],
    );
  });

  test("mean's local step gives every entry out.grad / n, added to what was there", () => {
    const x = T(X, "x");
    const out = x.mean();
    expect(out.children, "the mean was computed from x").toEqual([x]);
    localStep(out, [[3]], [x], 1);
    expectEntries(
      "mean's local step with out.grad = 3 and 1 in x.grad before: x.grad",
      x.grad,
      each(X, () => 1.5),
      [
        [each(X, () => 0.5), "the grad that was already in x is gone: add to it (+=, not =)."],
        [each(X, () => 4), "that is the sum's local step: the mean's slope is 1 / n, n = 6 entries."],
        [each(X, () => 1 + 1 / 6), "that is 1 / n alone: multiply it by out.grad (3)."],
      ],
    );
  });
});

// The graph ---------------------------------------------------------------------------------------------------

describe("topoSort, backward and zeroGrad", () => {
  test("topoSort lists every tensor of the graph once, each after its children, the root last", () => {
    const x = T(A, "x");
    const w = T(B, "w");
    const h = x.matmul(w);
    const loss = h.add(x).tanh().sum();
    const order = loss.topoSort();
    expect(order.at(-1), "the root comes last").toBe(loss);
    expect(new Set(order).size, "each tensor once").toBe(order.length);
    expect(order.length, "x, w, x · w, + x, tanh and the sum: 6 tensors").toBe(6);
    for (const [i, node] of order.entries()) {
      for (const child of node.children) {
        expect(
          order.indexOf(child),
          `${node.op || node.label}'s child ${child.op || child.label} comes first`,
        ).toBeLessThan(i);
      }
    }
  });

  test("topoSort walks a chain of 100 000 tensors without recursion", () => {
    let t = T([[0.5]]);
    for (let i = 0; i < 100_000; i++) t = t.scale(1);
    const order = withoutRecursion("topoSort() on a chain of 100 000 tensors", () => t.topoSort());
    expect(order.length, "the input and its 100 000 descendants").toBe(100_001);
  });

  test("backward sets the root's grad to 1 and runs every local step, parents before children", () => {
    // L = sum(tanh(x · w)): dL/dh = 1 − tanh(h)², then dL/dx = that · wᵀ and dL/dw = xᵀ · that.
    const x = T(A, "x");
    const w = T(
      [
        [0.5, -0.25],
        [0.1, 0.2],
      ],
      "w",
    );
    const h = x.matmul(w);
    const loss = h.tanh().sum();
    loss.backward();
    const wRows = w.toArray();
    const dh = each(h.toArray(), (v) => 1 - Math.tanh(v) ** 2);
    expect(loss.grad[0], "the root's grad is dL/dL = 1").toBe(1);
    expectEntries("h.grad after backward()", h.grad, dh);
    expectEntries("x.grad after backward()", x.grad, times(dh, transpose(wRows)));
    expectEntries("w.grad after backward()", w.grad, times(transpose(A), dh));
  });

  test("backward sends a tensor used twice the grads of both uses", () => {
    // L = sum(x) + sum(x * x): dL/dx = 1 + 2x.
    const x = T(A, "x");
    x.sum().add(x.mul(x).sum()).backward();
    expectEntries(
      "x.grad after backward() of sum(x) + sum(x * x)",
      x.grad,
      each(A, (v) => 1 + 2 * v),
      [
        [each(A, () => 1), "only sum(x) reached x: run every local step, in reverse topological order."],
        [each(A, (v) => 2 * v), "only x * x reached x: run every local step, in reverse topological order."],
      ],
    );
  });

  test("zeroGrad sets the grad of every tensor below the root back to 0 and leaves the data alone", () => {
    const x = T(A, "x");
    const w = T(B, "w");
    const loss = x.matmul(w).tanh().sum();
    loss.backward();
    loss.zeroGrad();
    for (const node of loss.topoSort()) {
      expectEntries(`${node.op || node.label}.grad after zeroGrad()`, node.grad, zeros(node.toArray()));
    }
    expectEntries("x.data after zeroGrad()", x.data, A);
  });
});

// Linear, MLP and the losses ----------------------------------------------------------------------------------

describe("Linear and MLP", () => {
  test("Linear.forward is x · weight + bias, one row per example", () => {
    const layer = new Linear(2, 3, { rng: new Random(1) });
    const [weight, bias] = layer.parameters();
    const out = layer.forward(T(M));
    expect(out.shape, "a batch of 3 examples of 2 inputs gives 3 rows of 3 outputs").toEqual([3, 3]);
    const expected = times(M, weight.toArray()).map((row) => row.map((v, j) => v + bias.at(0, j)));
    expectEntries("Linear.forward(x).data", out.data, expected, [
      [times(M, weight.toArray()), "that is x · weight alone: add the bias to every row."],
    ]);
  });

  test("Linear.parameters is [weight, bias]", () => {
    const layer = new Linear(2, 3);
    expect(layer.parameters(), "the weights first, then the bias").toEqual([layer.weight, layer.bias]);
    expect(layer.parameters()[0], "the very tensors of the layer, not copies").toBe(layer.weight);
  });

  test("MLP.parameters lists every layer's weight and bias, layer by layer", () => {
    const mlp = new MLP(2, [3, 4, 1]);
    expect(
      mlp.parameters().map((p) => p.label),
      "[W1, b1, W2, b2, W3, b3]",
    ).toEqual(["W1", "b1", "W2", "b2", "W3", "b3"]);
    expect(mlp.parameters()[0], "the very tensors of the layers, not copies").toBe(mlp.layers[0].weight);
  });

  test("MLP.forward puts tanh after every hidden layer and nothing after the last", () => {
    const mlp = new MLP(2, [3, 1], { rng: new Random(2) });
    const [w1, b1, w2, b2] = mlp.parameters().map((p) => p.toArray());
    const addRow = (rows: number[][], row: number[][]) => rows.map((r) => r.map((v, j) => v + row[0][j]));
    const hidden = addRow(times(M, w1), b1);
    const expected = addRow(times(each(hidden, Math.tanh), w2), b2);
    expectEntries("MLP.forward(x).data", mlp.forward(T(M)).data, expected, [
      [each(expected, Math.tanh), "that applies tanh to the output too: the last layer's outputs stay raw."],
      [addRow(times(hidden, w2), b2), "that has no tanh after the hidden layer."],
    ]);
  });

  test("MLP.zeroGrad sets every entry of every parameter's grad to 0", () => {
    const mlp = new MLP(2, [3, 1]);
    for (const p of mlp.layers.flatMap((l) => [l.weight, l.bias])) p.grad.fill(5);
    mlp.zeroGrad();
    for (const p of mlp.layers.flatMap((l) => [l.weight, l.bias])) {
      expectEntries(`${p.label}.grad after zeroGrad()`, p.grad, zeros(p.toArray()));
    }
  });

  test("MLP.update(lr) moves every entry of every parameter against its grad: data −= lr · grad", () => {
    const mlp = new MLP(2, [3, 1], { rng: new Random(3) });
    const before = mlp.layers.flatMap((l) => [l.weight.toArray(), l.bias.toArray()]);
    mlp.layers.forEach((l, i) => {
      l.weight.grad.fill(i + 1);
      l.bias.grad.fill(-2);
    });
    mlp.update(0.5);
    mlp.layers.forEach((l, i) => {
      expectEntries(
        `${l.weight.label}.data after update(0.5) with grad ${i + 1}`,
        l.weight.data,
        each(before[2 * i], (w) => w - 0.5 * (i + 1)),
        [[each(before[2 * i], (w) => w + 0.5 * (i + 1)), "the step went up the gradient: subtract lr · grad."]],
      );
      expectEntries(
        `${l.bias.label}.data after update(0.5) with grad −2`,
        l.bias.data,
        each(before[2 * i + 1], (b) => b + 1),
      );
    });
  });
});

describe("mseLoss and meanBceWithLogits", () => {
  const pred = [[2], [-1], [0.5]];
  const target = [[1], [1], [-1]];

  test("mseLoss is the mean of the squared differences: ((2 − 1)² + (−1 − 1)² + (0.5 + 1)²) / 3", () => {
    const got = mseLoss(T(pred), T(target)).item();
    expect(got, "(1 + 4 + 2.25) / 3 = 2.41666…").toBeCloseTo(7.25 / 3, 14);
  });

  test("mseLoss's gradient on each prediction is 2 · (pred − target) / n", () => {
    const p = T(pred, "pred");
    mseLoss(p, T(target)).backward();
    expectEntries(
      "pred.grad after mseLoss(pred, target).backward()",
      p.grad,
      each(pred, (v, r) => (2 * (v - target[r][0])) / 3),
      [
        [
          each(pred, (v, r) => 2 * (v - target[r][0])),
          "that is the squared error's gradient without the mean's 1 / n.",
        ],
      ],
    );
  });

  test("meanBceWithLogits is the mean over the batch of softplus(z) − y · z", () => {
    const logits = [[2], [-1], [0.5]];
    const labels = [[1], [0], [0]];
    const got = meanBceWithLogits(T(logits), T(labels)).item();
    const expected = logits.reduce((s, [z], r) => s + Math.log(1 + Math.exp(z)) - labels[r][0] * z, 0) / 3;
    expect(got, `the mean of the three losses is ${expected}`).toBeCloseTo(expected, 14);
  });

  test("meanBceWithLogits's gradient on each logit is (sigmoid(z) − y) / n", () => {
    const logits = T([[2], [-1], [0.5]], "z");
    const labels = [[1], [0], [1]];
    meanBceWithLogits(logits, T(labels)).backward();
    expectEntries(
      "z.grad after meanBceWithLogits(z, y).backward()",
      logits.grad,
      [[2], [-1], [0.5]].map(([z], r) => [(sigmoidOf(z) - labels[r][0]) / 3]),
    );
  });
});

// The bridge to the scalar engine -----------------------------------------------------------------------------

/** The MLP's numbers (data or grad) in the order of ANN.parameters(): neuron by neuron, its weights then its bias. */
function inAnnOrder(mlp: MLP, pick: (t: Tensor) => Float64Array): number[] {
  const params = mlp.parameters();
  const numbers: number[] = [];
  for (let p = 0; p < params.length; p += 2) {
    const [weight, bias] = [params[p], params[p + 1]];
    for (let j = 0; j < weight.cols; j++) {
      for (let i = 0; i < weight.rows; i++) numbers.push(pick(weight)[i * weight.cols + j]);
      numbers.push(pick(bias)[j]);
    }
  }
  return numbers;
}

/** Where to look when the bridge fails. */
const WHICH = ": a test of the operations above says which local step is wrong";

const moons = makeMoons(12, { noise: 0.1, seed: 4 });
const signed: Dataset = { x: moons.x, y: toSigned(moons.y) };
const twins = (seed: number) => ({
  ann: new ANN(2, [4, 3, 1], { rng: new Random(seed) }),
  mlp: new MLP(2, [4, 3, 1], { rng: new Random(seed) }),
});

/** Every gradient of the MLP, taken in the ANN's order, equals the ANN's to 1e-12. */
function expectSameGradients(mlp: MLP, ann: ANN): void {
  const { index, difference } = largestDifference(
    inAnnOrder(mlp, (t) => t.grad),
    ann.parameters().map((p) => p.grad),
  );
  expect(difference, `the gradient of parameter ${index} (in ANN order) differs by ${difference}${WHICH}`).toBeLessThan(
    1e-12,
  );
}

describe("the bridge: the tensor engine computes what the scalar engine computes", () => {
  test("the same seed gives the MLP the same weights as lesson 07's ANN", () => {
    const { ann, mlp } = twins(1);
    const { index, difference } = largestDifference(
      inAnnOrder(mlp, (t) => t.data),
      ann.parameters().map((p) => p.data),
    );
    expect(difference, `parameter ${index} (in ANN order) differs by ${difference}: are the parameters in order?`).toBe(
      0,
    );
  });

  test("for one example, the outputs and every gradient equal the ANN's to 1e-12", () => {
    const { ann, mlp } = twins(2);
    const x = signed.x[0];
    const target = signed.y[0];
    const output = mlp.forward(T([x]));
    const scalarOutput = ann.forward(x)[0];
    expect(Math.abs(output.item() - scalarOutput.data), "the output of example 0").toBeLessThan(1e-12);
    mseLoss(output, T([[target]])).backward();
    scalarOutput.sub(target).pow(2).backward();
    expectSameGradients(mlp, ann);
  });

  test("for a batch, mseLoss and every gradient equal lesson 12's batchLoss to 1e-12", () => {
    const { ann, mlp } = twins(3);
    const batch = [0, 3, 5, 7, 8, 11];
    const { x, y } = toBatch(signed, batch);
    const loss = mseLoss(mlp.forward(x), y);
    const scalarLoss = batchLoss(ann, signed, batch);
    expect(Math.abs(loss.item() - scalarLoss.data), "the batch's mean squared error").toBeLessThan(1e-12);
    loss.backward();
    scalarLoss.backward();
    expectSameGradients(mlp, ann);
  });

  test("for cross-entropy, meanBceWithLogits and its gradients equal the mean of lesson 11's bceWithLogitsLoss", () => {
    const { ann, mlp } = twins(4);
    const batch = [1, 2, 4, 6, 9];
    const { x, y } = toBatch({ x: moons.x, y: moons.y }, batch);
    const loss = meanBceWithLogits(mlp.forward(x), y);
    const scalarLoss = batch
      .map((i) => bceWithLogitsLoss(ann.forward(moons.x[i])[0], moons.y[i]))
      .reduce((sum, l) => sum.add(l))
      .div(batch.length);
    expect(Math.abs(loss.item() - scalarLoss.data), "the batch's mean cross-entropy").toBeLessThan(1e-12);
    loss.backward();
    scalarLoss.backward();
    expectSameGradients(mlp, ann);
  });

  test("trained in mini-batches for 3 epochs, the MLP ends with the ANN's weights (lesson 12's loop) to 1e-9", () => {
    const { ann, mlp } = twins(5);
    const optimizer = { zeroGrad: () => ann.zeroGrad(), step: () => ann.update(0.1) };
    for (let epoch = 0; epoch < 3; epoch++) {
      trainEpochInBatches(ann, signed, { batchSize: 4, optimizer });
      for (let start = 0; start < signed.x.length; start += 4) {
        const { x, y } = toBatch(signed, [start, start + 1, start + 2, start + 3]);
        mlp.zeroGrad();
        mseLoss(mlp.forward(x), y).backward();
        mlp.update(0.1);
      }
    }
    const { index, difference } = largestDifference(
      inAnnOrder(mlp, (t) => t.data),
      ann.parameters().map((p) => p.data),
    );
    expect(
      difference,
      `after 9 updates, parameter ${index} (in ANN order) differs by ${difference}${WHICH}`,
    ).toBeLessThan(1e-9);
  });

  test("lesson 13's Adam moves the MLP's entries (entries(mlp.parameters())) exactly as it moves the ANN's Values", () => {
    const { ann, mlp } = twins(6);
    const scalarAdam = new Adam(ann.parameters(), { lr: 0.05 });
    const tensorAdam = new Adam(entries(mlp.parameters()), { lr: 0.05 });
    const { x, y } = toBatch(signed, [0, 1, 2, 3, 4, 5]);
    for (let step = 0; step < 4; step++) {
      scalarAdam.zeroGrad();
      meanSeLoss(
        [0, 1, 2, 3, 4, 5].map((i) => ann.forward(signed.x[i])[0]),
        [0, 1, 2, 3, 4, 5].map((i) => signed.y[i]),
      ).backward();
      scalarAdam.step();
      tensorAdam.zeroGrad();
      mseLoss(mlp.forward(x), y).backward();
      tensorAdam.step();
    }
    const { index, difference } = largestDifference(
      inAnnOrder(mlp, (t) => t.data),
      ann.parameters().map((p) => p.data),
    );
    expect(
      difference,
      `after 4 Adam steps, parameter ${index} (in ANN order) differs by ${difference}${WHICH}`,
    ).toBeLessThan(1e-9);
  });

  test("a batch of 32 is as few tensors as a batch of 1: the graph does not grow with the batch", () => {
    const mlp = new MLP(2, [8, 8, 1]);
    const big = makeMoons(32, { seed: 1 });
    const data = { x: big.x, y: toSigned(big.y) };
    const size = (n: number) => {
      const { x, y } = toBatch(data, [...Array(n).keys()]);
      return mseLoss(mlp.forward(x), y).topoSort().length;
    };
    expect(size(32), `the graph of a batch of 32 has ${size(32)} tensors, of a batch of 1 ${size(1)}`).toBe(size(1));
    expect(size(1), "x, y, three layers of W, b, matmul and +, two tanh, and −, **2 and mean").toBe(19);
  });
});
