/**
 * Which values a grading run lets vitest compare. vitest decides an assertion by reading the values it is
 * given, and some of what it reads is code the value brings along: an `asymmetricMatch` method makes toEqual
 * ask the value whether it matches; a getter answers what it likes, differently on each read; a Proxy answers
 * through traps; `valueOf`, `toString` and `Symbol.toPrimitive` choose the number toBeCloseTo computes with;
 * a custom inspect or `toJSON` writes the failure message; a static `Symbol.hasInstance` decides toBeInstanceOf;
 * `then` decides what an `await` sees. In a grading run every value handed to expect() or to a matcher is
 * checked here first (trust.setup.ts installs the check), and one that carries such a hook fails the
 * assertion with a line that names it. Trusted are:
 * - primitives;
 * - objects that are not Proxies, whose own properties are plain data: no getter or setter, no symbol key, no
 *   name the language or vitest calls by itself (PROTOCOL), and values trusted in turn;
 * - whose prototype is null, one of the platform's own (the frozen built-ins, vitest's matchers) or a class's
 *   prototype (an object whose `constructor` is a function with it as `prototype`), checked the same way,
 *   except that a class may have getters and methods, and the hooks the course's own class of the same name
 *   has (Value's toString: see class-hooks.ts);
 * - functions likewise, but only what the platform reads of a function: no symbol key, no getter `name`, no
 *   protocol member (a static `then`), a trusted prototype. Nothing else of a function is ever compared.
 * The check reads property descriptors only: it never runs a getter, a trap or a method of the value.
 *
 * Bounds: it looks at no object more than MAX_DEPTH steps from the values themselves, because vitest's deep
 * equality is recursive and overflows the stack long before (tests/grading-trust.test.ts keeps that true);
 * and a value with more than OBJECT_LIMIT objects within that depth is not trusted.
 */

import { types } from "node:util";

/** What the check needs from the test process (injected, so that the rules can be tested anywhere). */
export interface TrustRules {
  isProxy(value: object): boolean;
  /** An object that belongs to the platform: a frozen built-in, or the prototype of one of vitest's matchers. */
  isPlatform(value: object): boolean;
  /** An instance of one of vitest's asymmetric matchers (expect.any(...) and the like), made by a test. */
  isMatcher(value: object): boolean;
  /** The keys and values of a genuine Map, or the values of a genuine Set; undefined for anything else. */
  contents(value: object): unknown[] | undefined;
  /** For a class of the course, by name: the hooks the course's own definition has ("Value" → toString). */
  courseHooks: ReadonlyMap<string, ReadonlySet<string>>;
}

/**
 * The rules in a test process: `platform` is every built-in (built-ins.ts), `matcherBase` the prototype all of
 * vitest's asymmetric matchers inherit from, `classHooks` the course's class hooks (class-hooks.ts).
 */
export function processRules(
  platform: Set<object>,
  matcherBase: object,
  classHooks: Record<string, string[]>,
): TrustRules {
  const mapEntries = Map.prototype.entries;
  const setValues = Set.prototype.values;
  /** A matcher a test made, or one of vitest's matcher classes: it inherits from vitest's matcher base. */
  const inheritsMatcher = (value: object) => {
    for (let p = Object.getPrototypeOf(value); p !== null && !types.isProxy(p); p = Object.getPrototypeOf(p)) {
      if (p === matcherBase) return true;
    }
    return false;
  };
  return {
    isProxy: (value) => types.isProxy(value),
    // vitest's matcher classes are the platform's too: their prototypes have their own `constructor`.
    isPlatform: (value) =>
      platform.has(value) || value === matcherBase || (Object.hasOwn(value, "constructor") && inheritsMatcher(value)),
    isMatcher: inheritsMatcher,
    // By the brand the engine gives a Map or a Set, not by `instanceof`, which would walk (and trap) a prototype chain.
    contents: (value) =>
      types.isMap(value)
        ? [...mapEntries.call(value)].flat()
        : types.isSet(value)
          ? [...setValues.call(value)]
          : undefined,
    courseHooks: new Map(Object.entries(classHooks).map(([name, hooks]) => [name, new Set(hooks)])),
  };
}

/** The environment variable that carries the course's class hooks into a run, as JSON: {"Value": ["toString"]}. */
export const CLASS_HOOKS_VARIABLE = "COURSE_GRADE_CLASS_HOOKS";

/** A value with more objects than this (within MAX_DEPTH) is not trusted: too large to check. */
export const OBJECT_LIMIT = 1_000_000;

/** Objects further than this from the values checked are not looked at: no comparison of vitest reaches them. */
export const MAX_DEPTH = 10_000;

/**
 * Names the language, vitest, chai or their printers call on a value without being asked: Object.prototype's
 * members (the conversions valueOf, toString, toLocaleString among them), `then` (await), `toJSON`, vitest's
 * and chai's matcher and printer protocols. Symbol keys are refused apart (every symbol the platform looks up
 * is a key: Symbol.toPrimitive, Symbol.hasInstance, Symbol.iterator, Symbol.toStringTag, custom inspect).
 */
const PROTOCOL = new Set([
  ...Object.getOwnPropertyNames(Object.prototype),
  "then",
  "toJSON",
  "asymmetricMatch",
  "toAsymmetricMatcher",
  "$$typeof",
  "inspect",
  "nodeType",
  "_isMockFunction",
]);

export const isProtocol = (key: string) => PROTOCOL.has(key) || key.startsWith("@@__IMMUTABLE_");

/** How a property key is written in a class member's name and in a problem: "toString", "Symbol(Symbol.iterator)". */
export const keyName = (key: string | symbol) => (typeof key === "symbol" ? String(key) : key);

type Kind = "plain" | "class" | "prototype";

const isObject = (value: unknown): value is object =>
  (typeof value === "object" && value !== null) || typeof value === "function";

/** The own data property `key` of `value`, or undefined (a getter's value is never read). */
function dataOf(value: object, key: string): unknown {
  const descriptor = Object.getOwnPropertyDescriptor(value, key);
  return descriptor && "value" in descriptor ? descriptor.value : undefined;
}

/**
 * A class's prototype (its `constructor` is a function whose `prototype` is it), a class (a function whose
 * `prototype` has it as `constructor`), or anything else. `value` is not a Proxy; the others are checked.
 */
function kindOf(value: object, rules: TrustRules): Kind {
  if (typeof value === "function") {
    const prototype = dataOf(value, "prototype");
    return isObject(prototype) && !rules.isProxy(prototype) && dataOf(prototype, "constructor") === value
      ? "class"
      : "plain";
  }
  const maker = dataOf(value, "constructor");
  return typeof maker === "function" && !rules.isProxy(maker) && dataOf(maker, "prototype") === value
    ? "prototype"
    : "plain";
}

/** A step that is not a property: a prototype, a getter, an entry of a Map or a Set. */
class Via {
  constructor(readonly text: string) {}
}

const PROTOTYPE = new Via("its prototype");
const ENTRY = new Via("an entry");

const propertyPath = (key: string) =>
  /^\d+$/.test(key) ? `[${key}]` : /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;

/**
 * The objects still to look at, in parallel arrays (no object per step: a value can hold a million): each
 * object, the step it was reached from (a root's is -1 - its index), how (a property key, or a Via), and how
 * far from its root it is (a prototype is as far as the object it is the prototype of).
 */
class Walk {
  readonly values: object[] = [];
  private readonly from: number[] = [];
  private readonly via: (string | symbol | Via)[] = [];
  private readonly depth: number[] = [];
  private readonly seen = new Set<object>();
  current = 0;

  constructor(
    roots: unknown[],
    private readonly maxDepth: number,
  ) {
    for (const [i, root] of roots.entries()) this.push(root, -1 - i, "", 0);
  }

  /** Queues `next`, reached from the current object by the property `via` (or its prototype: PROTOTYPE). */
  add(next: unknown, via: string | symbol | Via): void {
    const depth = this.depth[this.current] + (via === PROTOTYPE ? 0 : 1);
    if (depth <= this.maxDepth) this.push(next, this.current, via, depth);
  }

  private push(next: unknown, from: number, via: string | symbol | Via, depth: number): void {
    if (!isObject(next) || this.seen.has(next)) return;
    this.seen.add(next);
    this.values.push(next);
    this.from.push(from);
    this.via.push(via);
    this.depth.push(depth);
  }

  /** Which root the current object belongs to, and where it is in it: "[0].children[1], its prototype". */
  where(): { root: number; path: string } {
    const parts: string[] = [];
    let i = this.current;
    for (; this.from[i] >= 0; i = this.from[i]) {
      const via = this.via[i];
      parts.push(via instanceof Via ? `, ${via.text}` : propertyPath(keyName(via)));
    }
    return { root: -1 - this.from[i], path: parts.reverse().join("").replace(/^, /, "") };
  }
}

/** A hook found: in which of the values checked, and what and where ("a member `asymmetricMatch`, at [0]"). */
export interface Hook {
  value: number;
  hook: string;
}

/**
 * The first hook found in `values` (checked together: what they share is looked at once), or undefined.
 * `limits` are OBJECT_LIMIT and MAX_DEPTH unless a test says otherwise.
 */
export function hookIn(
  values: unknown[],
  rules: TrustRules,
  limits = { objects: OBJECT_LIMIT, depth: MAX_DEPTH },
): Hook | undefined {
  const walk = new Walk(values, limits.depth);
  for (; walk.current < walk.values.length; walk.current++) {
    const problem =
      walk.current >= limits.objects
        ? `more than ${limits.objects.toLocaleString("en-US")} objects to check`
        : objectProblem(walk.values[walk.current], rules, walk);
    if (problem) {
      const { root, path } = walk.where();
      return { value: root, hook: path ? `${problem}, in ${path}` : problem };
    }
  }
  return undefined;
}

/** What makes one object untrusted, or undefined; queues what it holds and its prototype. */
function objectProblem(value: object, rules: TrustRules, walk: Walk): string | undefined {
  if (rules.isProxy(value)) return "a Proxy, which answers through traps";
  if (rules.isPlatform(value)) return undefined;
  const kind = kindOf(value, rules);
  const isFunction = typeof value === "function";
  const className = kind === "prototype" ? dataOf(dataOf(value, "constructor") as object, "name") : undefined;
  const courseHooks = typeof className === "string" ? rules.courseHooks.get(className) : undefined;
  // Whether it is one of vitest's matchers (their `$$typeof` and `asymmetricMatch` are the platform's): asked only when needed.
  let matcher: boolean | undefined;
  const isMatcher = () => {
    if (matcher === undefined) matcher = rules.isMatcher(value);
    return matcher;
  };
  for (const key of Reflect.ownKeys(value)) {
    const descriptor = Object.getOwnPropertyDescriptor(value, key) as PropertyDescriptor;
    const name = keyName(key);
    const courses = courseHooks?.has(name) ?? false;
    if (typeof key === "symbol" && !courses) return `a member keyed by ${name}`;
    const hook = typeof key === "string" && key !== "constructor" && isProtocol(key) && !courses && !isMatcher();
    if (!("value" in descriptor)) {
      const what = descriptor.get ? "getter" : "setter";
      // A function's `name` is printed in messages; an instance's own getter is read by every comparison.
      if ((kind === "plain" && !isFunction) || hook || (isFunction && key === "name"))
        return `a ${what} \`${name}\`, which may answer differently on each read`;
      walk.add(descriptor.get, new Via(`the getter ${name}`));
      walk.add(descriptor.set, new Via(`the setter ${name}`));
      continue;
    }
    if (key === "constructor" && kind !== "prototype" && !isFunction)
      return "a member `constructor` that is not its class";
    if (hook) return `a member \`${name}\``;
    // A function is compared by identity and printed by its name: what it holds is never read.
    if (key !== "constructor" && !isFunction) walk.add(descriptor.value, key);
  }
  if (kind === "prototype") {
    const nameDescriptor = Object.getOwnPropertyDescriptor(dataOf(value, "constructor") as object, "name");
    if (nameDescriptor && !("value" in nameDescriptor)) return "a getter `name` on its class";
  }
  for (const item of rules.contents(value) ?? []) walk.add(item, ENTRY);
  const prototype = Object.getPrototypeOf(value) as object | null;
  // A Proxy first: asking whether it belongs to the platform would run its traps.
  if (prototype !== null && rules.isProxy(prototype)) return "a Proxy as its prototype";
  if (prototype === null || rules.isPlatform(prototype)) return undefined;
  if (kindOf(prototype, rules) !== (isFunction ? "class" : "prototype")) {
    return "a prototype that is neither a class's nor a built-in's";
  }
  walk.add(prototype, PROTOTYPE);
  return undefined;
}
