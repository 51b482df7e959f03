/**
 * JavaScript's built-ins as a grading run sees them: every standard constructor, prototype and namespace
 * reachable from them (Object, Array, Function, Math, JSON, Promise, the iterator prototypes, ...).
 * harden.setup.ts freezes them; the check of values (trust.ts) trusts their members, which are the language's
 * own once frozen. Error is listed but not walked into: vitest writes its stackTraceLimit while tests run,
 * so harden.setup.ts locks its members one by one instead.
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

/** Every object reachable from the built-ins through properties and prototypes (Error itself, not what it holds). */
export function builtIns(): Set<object> {
  const found = new Set<object>([Error]);
  const todo: unknown[] = [...roots];
  while (todo.length > 0) {
    const value = todo.pop();
    if ((typeof value !== "object" && typeof value !== "function") || value === null || found.has(value)) continue;
    found.add(value);
    todo.push(Object.getPrototypeOf(value));
    for (const key of Reflect.ownKeys(value)) {
      const descriptor = Object.getOwnPropertyDescriptor(value, key);
      if (!descriptor) continue;
      todo.push(descriptor.value, descriptor.get, descriptor.set);
    }
  }
  return found;
}
