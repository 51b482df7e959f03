/**
 * Setup of a grading run's test process (vitest's `setupFiles`, listed by vitest.grade.config.ts): it runs
 * after vitest has started and before each test file imports the learner's code, and freezes JavaScript's
 * built-ins: every standard constructor, prototype and namespace reachable from them (Object, Array,
 * Function, Math, JSON, Promise, the iterator prototypes, ...). The static gate (gate.ts) refuses the
 * changes it can see; a key computed at run time (`x[k] = ...`) it cannot, and this is where that fails.
 * The test process also runs with `--disallow-code-generation-from-strings`, so the constructor of a
 * function, reached by any key, cannot turn a string into code.
 *
 * Frozen too late for vitest's own start-up, which assigns to some built-ins, and early enough for the
 * learner's code. The one exception is the Error constructor, whose stackTraceLimit vitest writes while
 * tests run: every other member of Error is locked (a replaced `prepareStackTrace` could read other frames,
 * a replaced `captureStackTrace` would be handed every failed assertion's error to rewrite), no member can be
 * added, and stackTraceLimit stays a plain number V8 reads without running code (see docs/grading.md).
 *
 * What is frozen is built-ins.ts's list: the check of values (trust.setup.ts) trusts the same objects.
 */
import { builtIns } from "./built-ins";

/** Locks every member of Error but stackTraceLimit (which stays writable, not configurable), and closes it. */
function lockError(): void {
  for (const key of Reflect.ownKeys(Error)) {
    const descriptor = Object.getOwnPropertyDescriptor(Error, key);
    if (!descriptor?.configurable) continue;
    const writable = key === "stackTraceLimit";
    Object.defineProperty(
      Error,
      key,
      "value" in descriptor ? { writable, configurable: false } : { configurable: false },
    );
  }
  Object.preventExtensions(Error);
}

if (!Object.isFrozen(Object.prototype)) {
  lockError();
  for (const value of builtIns()) if (value !== Error) Object.freeze(value);
}
