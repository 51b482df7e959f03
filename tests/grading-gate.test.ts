/**
 * The grader's static gate (scripts/grade/gate.ts): it refuses every way out of pure computation we know
 * of, and never refuses honest code: the reference, the starter, and code written the way learners write it.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { gate } from "../scripts/grade/gate";
import { courseModules } from "../scripts/grade/grader";
import { courseFileNames, generateStarter, SOLUTIONS } from "../scripts/lib/starter";

const MODULES = courseFileNames(SOLUTIONS);
/**
 * The files the grader gates: those with exercise regions. The provided ones (lesson 18's threads and WebAssembly,
 * say) are always the course's own copy, never the submission's, so they may reach the host.
 */
const { exercises } = courseModules();
const onlyExercises = (files: Map<string, string>) => new Map([...files].filter(([name]) => exercises.has(name)));

/** The findings for one file named engine.ts holding `code` ([] when it passes). */
function findings(code: string): string[] {
  return (gate(new Map([["engine.ts", code]]), MODULES).get("engine.ts") ?? []).map(
    (f) => `${f.line}:${f.column} ${f.what}`,
  );
}

describe("the gate lets honest code through", () => {
  test("the reference solution's exercise files pass untouched", () => {
    const files = new Map(MODULES.map((name) => [name, readFileSync(path.join(SOLUTIONS, name), "utf8")]));
    expect([...gate(onlyExercises(files), MODULES)]).toEqual([]);
  });

  test("the starter's exercise files pass untouched", () => {
    expect([...gate(onlyExercises(generateStarter()), MODULES)]).toEqual([]);
  });

  const honest: Record<string, string> = {
    "loops, Math and Number": `
      export function norm(xs: number[]): number {
        let sum = 0;
        for (let i = 0; i < xs.length; i++) sum += xs[i] ** 2;
        outer: for (const x of xs) { if (!Number.isFinite(x)) break outer; }
        return Math.sqrt(sum) + Math.max(...xs) - Math.min(0, Number.EPSILON);
      }`,
    "array methods, callbacks and conversions": `
      export const parse = (xs: string[]) => xs.map(Number).filter(Boolean).map((x, i) => x * i);
      export const total = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
      export const grid = Array.from({ length: 3 }, (_, i) => new Array(3).fill(i));
      export const sorted = [3, 1, 2].sort((a, b) => a - b).slice().reverse().includes(2);
      export const flat = [[1], [2]].flat().concat([3]).every((x) => typeof x === "number");
      export const strings = [1, 2].map(String).join(", ") + parseFloat("1.5") + parseInt("7", 10);
      export const ok = [1, NaN, Infinity].some(isNaN) || [1].every(isFinite);`,
    "classes, getters, statics, private fields and own prototypes": `
      export class Value {
        static count = 0;
        #secret = 1;
        data: number;
        grad = 0;
        children: Value[] = [];
        constructor(data: number, readonly label = "") { this.data = data; Value.count++; }
        get double(): number { return this.data * 2 + this.#secret; }
        set double(v: number) { this.data = v / 2; }
        static zero(): Value { return new Value(0); }
        *[Symbol.iterator]() { yield this; yield* this.children; }
        toString(): string { return \`Value(\${this.data.toFixed(3)}, grad=\${this.grad})\`; }
      }
      class Scaled extends Value { override toString() { return "scaled " + super.toString(); } }
      export const twice = (Value.prototype as { double?: number }).double;
      export const s = new Scaled(1) instanceof Value;`,
    "closures, Map, Set and destructuring": `
      export function topo(root: { children: unknown[] }) {
        const seen = new Set<unknown>([root]);
        const index = new Map<unknown, number>();
        const weak = new WeakMap<object, number>();
        const visit = (node: { children: unknown[] }) => { index.set(node, index.size); weak.set(node, 1); };
        visit(root);
        const [first, ...rest] = [...seen];
        const { size } = index;
        const { children: kids = [] } = root;
        return { first, rest, size, kids, has: seen.has(root), entries: [...index.entries()] };
      }`,
    "errors, template strings, JSON and console": `
      export class ShapeError extends RangeError {
        constructor(message: string) {
          super(message);
          this.name = "ShapeError";
          Error.captureStackTrace?.(this, ShapeError);
        }
      }
      export function check(x: unknown, where: string): number {
        if (typeof x !== "number") throw new TypeError(\`\${where}: expected a number, got \${JSON.stringify(x)}\`);
        if (Number.isNaN(x)) throw new ShapeError(\`\${where}: NaN\`);
        try { JSON.parse("{}"); } catch (error) { console.error("bad", (error as Error).message); }
        console.log({ x, where }, String(x));
        return x;
      }`,
    "Object helpers on own objects, enums, typed arrays and dates": `
      export enum Init { Random, Ones, Zeros = Ones + 1 }
      export namespace Helpers { export const two = 2; }
      export function options(opts: { lr?: number } = {}) {
        const merged = Object.assign({ lr: 0.1 }, opts);
        const frozen = Object.freeze({ ...merged });
        const copy = Object.fromEntries(Object.entries(frozen).map(([k, v]) => [k, v]));
        const buf = new Float64Array(4);
        buf[0] = Date.now() > 0 ? 1 : 0;
        return { keys: Object.keys(copy), values: Object.values(copy), buf, same: Object.is(1, 1), two: Helpers.two };
      }`,
    "local names that shadow host names": `
      export function run(process: (x: number) => number, global = 1): number {
        const require = (n: number) => n;
        let eval2 = 0;
        const self = { process };
        return self.process(require(global)) + eval2++;
      }`,
    "this in functions, methods, accessors, fields, static blocks and object literals": `
      export function f(this: { x: number }) { return this.x; }
      export const g = function (this: unknown) { return this; };
      export class C {
        x = 1;
        y = this.x + 1;
        static n = 0;
        static m = this.n;
        static { this.n = 2; }
        get z() { return this.x; }
        method() { return [1].map(() => this.x); }
      }
      export const o = { v: 1, get w() { return this.v; }, m() { return this.v; } };`,
    "arguments, async code, generators and optional chaining": `
      export function sum(): number {
        let s = 0;
        for (let i = 0; i < arguments.length; i++) s += arguments[i];
        return s;
      }
      export async function later(x: number): Promise<number> { return await Promise.resolve(x); }
      export function* count(n: number) { for (let i = 0; i < n; i++) yield i; }
      export const maybe = (o?: { a?: { b?: number } }) => o?.a?.b ?? 0;
      export const m = (f?: () => number) => f?.() ?? [1][0];`,
    "imports of the course's own modules": `
      import { Random } from "./random";
      import type { Operand } from "./engine.ts";
      export * from "./loss";
      export { Random };
      export const r = (o: Operand) => new Random(1).uniform(-1, 1) + Number(o);`,
  };

  for (const [what, code] of Object.entries(honest)) {
    test(`${what} pass`, () => {
      expect(findings(code)).toEqual([]);
    });
  }
});

describe("the gate refuses the ways out of the course code", () => {
  const attacks: Record<string, string> = {
    "a re-export of the reference by path": `export * from "../../../../../solutions/engine.ts";`,
    "an import of the reference by path": `import { Value } from "../solutions/engine"; export { Value };`,
    "a package import": `import { expect } from "vitest"; expect.extend({});`,
    "a Node import": `import { writeFileSync } from "node:fs"; writeFileSync("x", "y");`,
    "a dynamic import built from the working folder": `export const m = await import(process.cwd() + "/solutions/engine.ts");`,
    "a walk up from import.meta.url": `export const where = new URL("../../solutions/engine.ts", import.meta.url);`,
    require: `const fs = require("fs");`,
    "import = require": `import fs = require("fs");`,
    "process.exit": `process.exit(0);`,
    globalThis: `globalThis.x = 1;`,
    global: `export const g = global;`,
    eval: `eval("1 + 1");`,
    "indirect eval": `(0, eval)("1");`,
    "new Function": `new Function("return this")();`,
    "a constructor chain": `export const f = [].constructor.constructor("return process")();`,
    "a string-keyed constructor": `export const f = ({} as any)["constructor"];`,
    "a template-keyed constructor": "export const f = ({} as any)[`constructor`];",
    "a destructured constructor": `const { constructor: C } = {} as any; export { C };`,
    __proto__: `({} as any).__proto__.polluted = true;`,
    "Object.prototype edit": `(Object.prototype as any).sum = function () { return 0; };`,
    "Array.prototype read": `export const push = Array.prototype.push;`,
    "Object.defineProperty": `Object.defineProperty({}, "x", { value: 1 });`,
    "Object.getPrototypeOf": `export const p = Object.getPrototypeOf([]);`,
    Reflect: `Reflect.set({}, "x", 1);`,
    Proxy: `export const p = new Proxy({}, {});`,
    "a string timer": `setTimeout("while (true) {}", 0);`,
    WebAssembly: `export const w = WebAssembly.Module;`,
    Atomics: `Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);`,
    Buffer: `export const b = Buffer.alloc(10);`,
    fetch: `fetch("http://example.com");`,
    "a patched Math": `Math.abs = () => 0;`,
    "a patched Object.is": `(Object as any).is = () => true;`,
    "a patched console": `console.log = () => {};`,
    "a deleted built-in": `delete (Math as any).max;`,
    "an incremented built-in": `(Number as any).EPSILON++;`,
    "an aliased built-in": `const O = Object; export { O };`,
    "a built-in passed to Object.assign": `Object.assign(Math, { abs: () => 0 });`,
    "a built-in read with a computed key": `export const d = (Object as any)["define" + "Property"];`,
    "an ambient declaration": `declare const process: any; process.exit(0);`,
    "declare global": `declare global { var hacked: number } export {};`,
    "vite's module runner": `__vite_ssr_import__("node:fs");`,
    "vitest's worker state": `export const w = (__vitest_worker__ as any).rpc;`,
    "Error.prepareStackTrace": `(Error as any).prepareStackTrace = (_e: unknown, s: unknown) => s;`,
    "arguments.callee": `export function f() { return arguments.callee; }`,
    "a function's caller": `export function f(g: Function) { return (g as any).caller; }`,
    __defineGetter__: `({} as any).__defineGetter__("x", () => 1);`,
    "an export of a global": `export { process };`,
    "a default export of a global": `export default globalThis;`,
    "an instantiation expression": `export const p = (Promise<number>).constructor;`,
    "console internals": `export const s = (console as any)._stdout;`,
    "a shorthand property": `export const o = { process };`,
    "this at the top of the module (the global object in a test run)": `export const g = (this as any).process;`,
    "this in a top-level arrow function": `const f = () => this; export const g = (f() as any).process;`,
    "this in a class's extends clause": `export class A extends (this as any).Object {}`,
    "this in a computed member name": `export class B { [(this as any).x]() {} }`,
    "this in a namespace": `export namespace N { export const t = this; }`,
    "a type-only import standing for a global": `import type { Value as process } from "./engine"; (process as any).exit(0);`,
    "a type-only specifier standing for a global": `import { type Value as globalThis } from "./engine"; export const g = globalThis;`,
    "an interface standing for a global": `interface process { exit(): void } (process as any).exit();`,
    "a namespace of types standing for a global": `namespace process { export type T = 1; } (process as any).exit();`,
    "overloads without a body standing for a global": `function process(): void; export const p = process;`,
  };

  for (const [what, code] of Object.entries(attacks)) {
    test(`${what} is refused`, () => {
      expect(findings(code), code).not.toEqual([]);
    });
  }

  test("a finding names the line and column and says why", () => {
    expect(findings("const a = 1;\nexport const b = a + process.pid;")).toEqual([
      "2:22 uses `process`, which reaches the Node.js process (environment, files, exit): course code only computes",
    ]);
  });

  test("3000 nested parentheses are refused without overflowing the grader's stack", () => {
    const deep = `export const x = ${"(".repeat(3000)}1${")".repeat(3000)};`;
    expect(findings(deep).join()).toMatch(/nested too deeply/);
    // The parser still works for the next file.
    expect(findings("export const y = (1);")).toEqual([]);
  });

  test("a syntax error is refused with its position", () => {
    expect(findings("export const x = (1;")[0]).toBe("1:20 has a syntax error: ')' expected.");
  });

  test("a name declared at the top of another file without imports does not make a global look declared", () => {
    const result = gate(
      new Map([
        ["analysis.ts", "var process: any;\nvar globalThis: any;\n"],
        ["engine.ts", "export const x = 1;\nprocess.exit(0);\n"],
      ]),
      MODULES,
    );
    expect(result.get("engine.ts")?.[0]).toMatchObject({ line: 2, column: 1 });
  });

  test("only the files with findings are refused", () => {
    const result = gate(
      new Map([
        ["engine.ts", "export const ok = 1;"],
        ["loss.ts", 'import { ok } from "./engine";\n(Object.prototype as any).sum = ok;'],
      ]),
      MODULES,
    );
    expect([...result.keys()]).toEqual(["loss.ts"]);
    expect(result.get("loss.ts")?.[0]).toMatchObject({ line: 2 });
  });
});
