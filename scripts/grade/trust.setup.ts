/**
 * Setup of a grading run's test process, after harden.setup.ts: every assertion checks the values it is
 * handed before it compares them (trust.ts says which values are trusted and why). The check wraps each
 * matcher and property of vitest's assertion object (they all live on chai's Assertion.prototype), so it holds
 * for every matcher, present or future, `.not`, `.resolves` and `.rejects` included: the value given to
 * expect(), every argument of the matcher, and what a function given to toThrow() throws. An untrusted value
 * fails the assertion with a line that says what it carries and where. Where vitest turns a value into a
 * number itself (toBeCloseTo, a length check), an object is refused too: a trusted class may still have a
 * toString (Value's), and that would decide the comparison.
 */
import { type Assertion, chai, expect } from "vitest";
import { builtIns } from "./built-ins";
import { CLASS_HOOKS_VARIABLE, hookIn, processRules } from "./trust";

const GUARDED = Symbol.for("course-grade.guarded");
/** Matchers whose received function is called, and whose thrown value is compared. */
const THROWING = new Set(["toThrow", "toThrowError", "throw", "throws", "Throw"]);
/** Matchers that do arithmetic on the value given to expect() and their first argument. */
const CLOSE_TO = new Set(["toBeCloseTo", "closeTo", "approximately"]);
/** Matchers that compare the value's `length` to their argument with `==`. */
const LENGTH = new Set(["toHaveLength", "length", "lengthOf"]);
/** vitest's own members, which take no value of the test's. */
const UNCHECKED = new Set(["constructor", "assert", "_obj", "__methods", "withTest", "withContext"]);

const rules = processRules(
  builtIns(),
  Object.getPrototypeOf(Object.getPrototypeOf(expect.anything())),
  JSON.parse(process.env[CLASS_HOOKS_VARIABLE] || "{}"),
);

/** Fails the assertion when one of `values` carries a hook; `what(i)` says which value the i-th is. */
function check(values: unknown[], what: (i: number) => string): void {
  const found = hookIn(values, rules);
  if (found) {
    throw new chai.AssertionError(
      `${what(found.value)} carries a hook the grader does not trust: ${found.hook}. The grader compares plain data (numbers, strings, arrays, plain objects) and instances of classes, never a value that could decide how it is compared or shown: return plain data.`,
    );
  }
}

type Utils = Parameters<Parameters<typeof chai.use>[0]>[1];

/** Checks the received value and the arguments of a matcher about to run. */
function checkAssertion(assertion: Assertion, utils: Utils, name: string, args: unknown[]): void {
  const received = utils.flag(assertion, "object");
  check([received, ...args], (i) => (i === 0 ? "The value given to expect()" : `Argument ${i} of ${name}()`));
  const converted = conversion(name, received, args);
  if (converted) {
    throw new chai.AssertionError(
      `${converted}, where ${name}() compares numbers: the grader does not let an object turn itself into a number (its toString or valueOf would decide the comparison). Return a number.`,
    );
  }
}

const isObject = (value: unknown) => (typeof value === "object" && value !== null) || typeof value === "function";

/**
 * The two places where vitest turns a value into a number itself, where an object would be converted by its
 * own toString or valueOf (a course class may have a toString: Value's): the arithmetic of toBeCloseTo on the
 * value and its first argument, and the `==` of a length check on the value's `length` (found along its
 * prototypes by descriptor, never read). Says what is not a number there, if anything.
 */
function conversion(name: string, received: unknown, args: unknown[]): string | undefined {
  if (CLOSE_TO.has(name)) {
    if (isObject(received)) return "The value given to expect() is an object";
    return isObject(args[0]) ? `Argument 1 of ${name}() is an object` : undefined;
  }
  if (!LENGTH.has(name) || !isObject(received) || received instanceof Map || received instanceof Set) return undefined;
  for (let o: object | null = received as object; o !== null; o = Object.getPrototypeOf(o)) {
    const found = Object.getOwnPropertyDescriptor(o, "length");
    if (!found) continue;
    if (!("value" in found)) return "The length of the value given to expect() is a getter";
    return isObject(found.value) ? "The length of the value given to expect() is an object" : undefined;
  }
  return undefined;
}

/**
 * For toThrow and the like: the received function, wrapped so that what it throws is checked too. The
 * problem is kept and raised after the matcher (a throw from the wrapper would count as the function throwing).
 */
function guardThrown(assertion: Assertion, utils: Utils): { problem?: string } {
  const received = utils.flag(assertion, "object");
  const found: { problem?: string } = {};
  if (typeof received !== "function") return found;
  const guarded = function (this: unknown, ...args: unknown[]) {
    try {
      return received.apply(this, args);
    } catch (error) {
      const hook = hookIn([error], rules);
      if (hook) {
        found.problem = `The value thrown by the function given to expect() carries a hook the grader does not trust: ${hook.hook}.`;
      }
      throw error;
    }
  };
  // Its name is the received function's (checked: a plain string), for any message that names it.
  Object.defineProperty(guarded, "name", { value: received.name });
  utils.flag(assertion, "object", guarded);
  return found;
}

function guardMethod(name: string, utils: Utils) {
  return (original: (...args: unknown[]) => unknown) =>
    function (this: Assertion, ...args: unknown[]) {
      checkAssertion(this, utils, name, args);
      if (!THROWING.has(name)) return original.apply(this, args);
      const thrown = guardThrown(this, utils);
      let result: unknown;
      try {
        result = original.apply(this, args);
      } catch (error) {
        throw thrown.problem ? new chai.AssertionError(thrown.problem) : error;
      }
      if (thrown.problem) throw new chai.AssertionError(thrown.problem);
      return result;
    };
}

function guardProperty(utils: Utils) {
  return (original: () => unknown) =>
    function (this: Assertion) {
      // A property takes no argument: between two of a chain no other code runs, so one check per value will do.
      const object = utils.flag(this, "object");
      if (utils.flag(this, "courseGradeChecked") !== object) {
        check([object], () => "The value given to expect()");
        utils.flag(this, "courseGradeChecked", object);
      }
      return original.call(this);
    };
}

chai.use((chai, utils) => {
  const proto = chai.Assertion.prototype as unknown as Record<string | symbol, unknown> & {
    __methods: Record<string, unknown>;
  };
  if (proto[GUARDED]) return;
  Object.defineProperty(proto, GUARDED, { value: true });
  for (const name of Object.getOwnPropertyNames(proto)) {
    if (UNCHECKED.has(name)) continue;
    const descriptor = Object.getOwnPropertyDescriptor(proto, name) as PropertyDescriptor;
    if (Object.hasOwn(proto.__methods, name)) {
      // chai's types say the chaining behaviour is a plain function; chai calls it with the one it replaces.
      utils.overwriteChainableMethod(
        proto,
        name,
        guardMethod(name, utils),
        guardProperty(utils) as unknown as () => void,
      );
    } else if (descriptor.get) {
      utils.overwriteProperty(proto, name, guardProperty(utils));
    } else if (typeof descriptor.value === "function") {
      utils.overwriteMethod(proto, name, guardMethod(name, utils));
    }
  }
});
