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

/**
 * Freezes `value` member by member: each property made read-only and fixed, then nothing more may be added.
 * Object.isFrozen says true, as after Object.freeze; but Object.freeze itself on Object.prototype or a typed
 * array's prototype costs V8 its fast paths for every typed array in the process (a product of two matrices
 * ran twenty times slower: MNIST's lesson took 12 s of processor time instead of 2). `writable` keys stay
 * writable (fixed all the same).
 */
function lock(value: object, writable = new Set<string | symbol>()): void {
  for (const key of Reflect.ownKeys(value)) {
    const descriptor = Object.getOwnPropertyDescriptor(value, key);
    if (!descriptor?.configurable && !(descriptor && "value" in descriptor && descriptor.writable)) continue;
    Object.defineProperty(
      value,
      key,
      descriptor && "value" in descriptor
        ? { writable: writable.has(key) && descriptor.writable, configurable: false }
        : { configurable: false },
    );
  }
  Object.preventExtensions(value);
}

if (!Object.isFrozen(Object.prototype)) {
  // Error's stackTraceLimit stays a writable number: vitest writes it while tests run (see docs/grading.md).
  lock(Error, new Set(["stackTraceLimit"]));
  for (const value of builtIns()) if (value !== Error) lock(value);
}
