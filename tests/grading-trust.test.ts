/**
 * The check a grading run makes of every value an assertion is handed (scripts/grade/trust.ts): plain data and
 * the course's objects pass; every way a value can decide how it is compared or shown is named, with where it
 * is; and nothing of the value runs while it is checked. The check installed in a real run, on hostile
 * submissions, is `npm run grade:selftest` (the hook-* fixtures).
 */
import { Value } from "@course/engine";
import { ANN, Neuron } from "@course/nn";
import { Tensor } from "@course/tensor";
import { describe, expect, test } from "vitest";
import { builtIns } from "../scripts/grade/built-ins";
import { courseClassHooks } from "../scripts/grade/class-hooks";
import { hookIn, MAX_DEPTH, processRules } from "../scripts/grade/trust";

const rules = processRules(
  builtIns(),
  Object.getPrototypeOf(Object.getPrototypeOf(expect.anything())),
  courseClassHooks(),
);
const hookOf = (value: unknown) => hookIn([value], rules)?.hook;
const matchesAnything = () => true;
/** An object with a `then` method, as a hostile submission would return. */
const thenable = (then: (...args: never[]) => unknown) => ({ then });

/** A chain of `length` objects, each holding the next, the last holding `end`. */
function chain(length: number, end: unknown): unknown {
  let node: unknown = end;
  for (let i = 0; i < length; i++) node = { next: node };
  return node;
}

describe("values a grading run trusts", () => {
  test("plain data, the platform's own objects and vitest's matchers", () => {
    const values = [
      3,
      "text",
      null,
      undefined,
      [1, [2, 3]],
      { a: 1, b: [{ c: "d" }] },
      Object.create(null),
      new Map([["k", [1]]]),
      new Set([1, 2]),
      new Float64Array(4),
      new Date(0),
      /re/g,
      new RangeError("bad input"),
      Math,
      expect.any(Number),
      { nested: expect.objectContaining({ a: expect.closeTo(1, 5) }) },
    ];
    for (const [i, value] of values.entries()) expect(hookOf(value), `value ${i}`).toBeUndefined();
  });

  test("the course's objects: values and their graph, networks, tensors, the classes themselves", () => {
    const x = new Value(2, [], "", "x");
    const y = x.mul(3).tanh();
    y.backward();
    const values = [y, y.topoSort(), new Neuron(3), new ANN(2, [3, 1]), Tensor.from([[1, 2]]), Value, ANN];
    for (const value of values) expect(hookOf(value), String(value)).toBeUndefined();
  });

  test("Value's own toString is the course's: allowed on a class named Value, nowhere else", () => {
    expect(courseClassHooks().Value).toEqual(["toString"]);
    class Other {
      toString() {
        return "3";
      }
    }
    expect(hookOf(new Other())).toBe("a member `toString`, in its prototype");
  });
});

describe("hooks, named with where they are", () => {
  const key = (...parts: string[]) => parts.join("");
  class Matcher {
    [key("asymmetric", "Match")]() {
      return true;
    }
  }
  class Judge {
    verdict = "guilty";
    static [Symbol.hasInstance]() {
      return true;
    }
  }
  class Counterfeit {
    valueOf() {
      return 3;
    }
  }
  const cases: [string, unknown, string][] = [
    ["asymmetricMatch", { asymmetricMatch: matchesAnything }, "a member `asymmetricMatch`"],
    [
      "asymmetricMatch by a computed key",
      { [key("asymmetric", "Match")]: matchesAnything },
      "a member `asymmetricMatch`",
    ],
    ["asymmetricMatch inherited from a class", new Matcher(), "a member `asymmetricMatch`, in its prototype"],
    [
      "asymmetricMatch inherited from an object",
      Object.create({ asymmetricMatch: matchesAnything }),
      "a prototype that is neither a class's nor a built-in's",
    ],
    ["a thenable", thenable((resolve: (x: number) => void) => resolve(1)), "a member `then`"],
    ["a Proxy", new Proxy({}, {}), "a Proxy, which answers through traps"],
    ["a Proxy of a function", new Proxy(() => 1, {}), "a Proxy, which answers through traps"],
    [
      "a getter",
      {
        get data() {
          return 1;
        },
      },
      "a getter `data`, which may answer differently on each read",
    ],
    ["Symbol.toPrimitive", { [Symbol.toPrimitive]: () => 1 }, "a member keyed by Symbol(Symbol.toPrimitive)"],
    ["valueOf", { valueOf: () => 1 }, "a member `valueOf`"],
    ["valueOf on a class", new Counterfeit(), "a member `valueOf`, in its prototype"],
    ["toString", { toString: () => "1" }, "a member `toString`"],
    ["toJSON", { toJSON: () => 1 }, "a member `toJSON`"],
    [
      "a custom inspect",
      { [Symbol.for("nodejs.util.inspect.custom")]: () => "1" },
      "a member keyed by Symbol(nodejs.util.inspect.custom)",
    ],
    ["Symbol.hasInstance on a class", Judge, "a member keyed by Symbol(Symbol.hasInstance)"],
    ["a constructor that is not its class", { constructor: Value }, "a member `constructor` that is not its class"],
    ["a hook deep inside", [{ children: [thenable(matchesAnything)] }], "a member `then`, in [0].children[0]"],
    ["a hook in a Map", new Map([["k", { toJSON: () => 1 }]]), "a member `toJSON`, in an entry"],
  ];

  test.each(cases)("%s", (_name, value, hook) => {
    expect(hookOf(value)).toBe(hook);
  });

  test("a hook added to a course object is found where it is", () => {
    const y = new Value(1).tanh();
    (y.children[0] as unknown as Record<string, unknown>).asymmetricMatch = matchesAnything;
    expect(hookOf([y])).toBe("a member `asymmetricMatch`, in [0].children[0]");
  });

  test("the value that carries it is named: the received one, or which argument", () => {
    expect(hookIn([1, [2], thenable(matchesAnything)], rules)).toEqual({ value: 2, hook: "a member `then`" });
  });

  test("nothing of the value runs while it is checked: no getter, no trap, no method", () => {
    let ran = 0;
    const traps = new Proxy(
      {},
      {
        get: () => ran++,
        ownKeys: () => [String(ran++)],
        getPrototypeOf: () => {
          ran++;
          return null;
        },
        getOwnPropertyDescriptor: () => {
          ran++;
          return undefined;
        },
      },
    );
    const value = {
      get data() {
        return ran++;
      },
      valueOf: () => ran++,
      [Symbol.toPrimitive]: () => ran++,
      inner: [traps],
    };
    const overTraps = Object.create(traps);
    for (const part of [value, traps, [value.inner], overTraps, [overTraps]]) hookOf(part);
    expect(ran).toBe(0);
    expect(hookOf(overTraps)).toBe("a Proxy as its prototype");
  });
});

describe("bounds", () => {
  test("vitest's deep equality cannot reach MAX_DEPTH: it overflows the stack first", () => {
    // If this fails, vitest compares deeper than the check looks: raise MAX_DEPTH in scripts/grade/trust.ts.
    expect(() => expect(chain(MAX_DEPTH, 1)).toEqual(chain(MAX_DEPTH, 1))).toThrow(RangeError);
  });

  test("so what lies beyond it is not looked at, and what lies within it is", () => {
    expect(hookOf(chain(MAX_DEPTH + 1, thenable(matchesAnything)))).toBeUndefined();
    expect(hookOf(chain(MAX_DEPTH - 1, thenable(matchesAnything)))).toMatch(/^a member `then`, in (\.next){9999}$/);
  });

  test("a value with more objects than the limit is not trusted", () => {
    const wide = Array.from({ length: 10 }, () => ({}));
    expect(hookIn([wide], rules, { objects: 10, depth: MAX_DEPTH })?.hook).toBe(
      "more than 10 objects to check, in [9]",
    );
    expect(hookIn([wide], rules, { objects: 11, depth: MAX_DEPTH })).toBeUndefined();
  });
});
