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
 * tests run: only its stack hook is locked (a replaced `prepareStackTrace` could read other frames).
 */
const AsyncFunction = Object.getPrototypeOf(async () => {});
const GeneratorFunction = Object.getPrototypeOf(function* () {});
const AsyncGeneratorFunction = Object.getPrototypeOf(async function* () {});
const iterators = [
  [][Symbol.iterator](),
  new Map()[Symbol.iterator](),
  new Set()[Symbol.iterator](),
  ""[Symbol.iterator](),
  /x/[Symbol.matchAll](""),
  (function* () {})(),
  (async function* () {})(),
].map((it) => Object.getPrototypeOf(it));

const roots: unknown[] = [
  Object,
  Function,
  Array,
  Number,
  String,
  Boolean,
  Symbol,
  BigInt,
  Math,
  JSON,
  Reflect,
  Date,
  RegExp,
  Promise,
  Map,
  Set,
  WeakMap,
  WeakSet,
  Error.prototype,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
  AggregateError,
  ArrayBuffer,
  DataView,
  Float64Array,
  Float32Array,
  Int8Array,
  Int16Array,
  Int32Array,
  Uint8Array,
  Uint8ClampedArray,
  Uint16Array,
  Uint32Array,
  BigInt64Array,
  BigUint64Array,
  AsyncFunction,
  GeneratorFunction,
  AsyncGeneratorFunction,
  ...iterators,
];

function lockStackHook(): void {
  const descriptor = Object.getOwnPropertyDescriptor(Error, "prepareStackTrace");
  if (descriptor && !descriptor.configurable) return;
  Object.defineProperty(Error, "prepareStackTrace", {
    value: Error.prepareStackTrace,
    writable: false,
    configurable: false,
  });
}

/** Freezes each root and everything reachable from it through properties and prototypes, except `Error`. */
function freezeAll(): void {
  const seen = new Set<unknown>([Error]);
  const todo = [...roots];
  while (todo.length > 0) {
    const value = todo.pop();
    if ((typeof value !== "object" && typeof value !== "function") || value === null || seen.has(value)) continue;
    seen.add(value);
    Object.freeze(value);
    todo.push(Object.getPrototypeOf(value));
    for (const key of Reflect.ownKeys(value)) {
      const descriptor = Object.getOwnPropertyDescriptor(value, key);
      if (!descriptor) continue;
      todo.push(descriptor.value, descriptor.get, descriptor.set);
    }
  }
}

if (!Object.isFrozen(Object.prototype)) {
  lockStackHook();
  freezeAll();
}
