/**
 * The static gate: before any of a submission's code runs, each of its exercise files is parsed with
 * TypeScript's parser (nothing is executed) and refused if it reaches beyond the pure computation the
 * course asks for. The course modules only compute with numbers, arrays and their own classes, so the
 * gate can be strict without getting in an honest learner's way:
 *
 * - imports: only the course's own modules, relatively ("./engine", "./nn.ts"); no `import()`, no
 *   `import.meta`, no `require`, no ambient `declare` (which would make an outside name look local);
 * - globals: only an allow-list of plain built-ins (Math, Number, Array, Map, Set, JSON, Error, console.log,
 *   ...). Everything else the host offers (`process`, `globalThis`, `eval`, `Function`, `Reflect`, `Proxy`,
 *   timers, `Buffer`, `WebAssembly`, `Atomics`, vitest's own globals, ...) is refused by name, so a
 *   deny-list cannot be outgrown by a host that adds globals;
 * - built-ins are called or read, never changed, aliased or passed around (`Math.abs = ...`,
 *   `Object.prototype.x = ...`, `const O = Object`, `Object.defineProperty`, `Object.getPrototypeOf`);
 * - `this` outside any function or class (vitest runs a module inside an arrow function, where it is the
 *   global object);
 * - the members that lead from any value to the host: `constructor`, `__proto__`, a built-in's
 *   `prototype`, `caller`, `callee`, `__defineGetter__` and friends, `Error.prepareStackTrace`; written
 *   as `x.constructor`, `x["constructor"]`, `` x[`constructor`] `` or `const { constructor } = x`.
 *
 * A key computed at run time (`x[k]`) cannot be judged without running the code; the test process
 * covers that case (scripts/grade/harden.setup.ts: frozen built-ins, no code from strings).
 * A file that cannot be parsed (a syntax error, or nesting deep enough to overflow the parser's stack)
 * is refused too: a file the gate cannot read is never run.
 */
import ts from "typescript";

export interface Finding {
  line: number;
  column: number;
  what: string;
}

/** Built-ins course code may name. Anything else that is not declared in the submission is refused. */
const ALLOWED_GLOBALS = new Set([
  "undefined",
  "NaN",
  "Infinity",
  "isFinite",
  "isNaN",
  "parseFloat",
  "parseInt",
  "Number",
  "String",
  "Boolean",
  "BigInt",
  "Symbol",
  "Math",
  "JSON",
  "Object",
  "Array",
  "Map",
  "Set",
  "WeakMap",
  "WeakSet",
  "Date",
  "RegExp",
  "Promise",
  "Error",
  "TypeError",
  "RangeError",
  "SyntaxError",
  "ReferenceError",
  "EvalError",
  "URIError",
  "AggregateError",
  "ArrayBuffer",
  "DataView",
  "Float64Array",
  "Float32Array",
  "Int8Array",
  "Int16Array",
  "Int32Array",
  "Uint8Array",
  "Uint8ClampedArray",
  "Uint16Array",
  "Uint32Array",
  "BigInt64Array",
  "BigUint64Array",
  "console",
  "arguments",
  "structuredClone",
]);

/** Plain values: usable anywhere (`arguments` is a plain array-like in strict code). */
const PLAIN_VALUES = new Set(["undefined", "NaN", "Infinity", "arguments"]);

/** Conversions a learner passes to array methods (`xs.map(Number)`, `xs.filter(Boolean)`). */
const CALLBACK_GLOBALS = new Set([
  "Number",
  "String",
  "Boolean",
  "BigInt",
  "isFinite",
  "isNaN",
  "parseFloat",
  "parseInt",
]);

const CONSOLE_METHODS = new Set([
  "log",
  "info",
  "warn",
  "error",
  "debug",
  "trace",
  "table",
  "dir",
  "assert",
  "count",
  "time",
  "timeEnd",
  "group",
  "groupCollapsed",
  "groupEnd",
  "clear",
  "countReset",
  "timeLog",
]);

/** `Object.` functions that read or change prototypes and property descriptors. */
const OBJECT_REFLECTION = new Set([
  "defineProperty",
  "defineProperties",
  "setPrototypeOf",
  "getPrototypeOf",
  "getOwnPropertyDescriptor",
  "getOwnPropertyDescriptors",
]);

/** Members that lead from an ordinary value to functions, prototypes or the stack: never needed by course code. */
const BLOCKED_MEMBERS = new Set([
  "constructor",
  "__proto__",
  "__defineGetter__",
  "__defineSetter__",
  "__lookupGetter__",
  "__lookupSetter__",
  "caller",
  "callee",
  "prepareStackTrace",
]);

/** Why a global outside the allow-list is refused, for the names a learner is most likely to try. */
const WHY: Record<string, string> = {
  process: "the Node.js process (environment, files, exit)",
  globalThis: "the global object",
  global: "the global object",
  window: "the global object",
  self: "the global object",
  eval: "running code made from strings",
  Function: "running code made from strings",
  require: "Node's module loader",
  module: "Node's module system",
  exports: "Node's module system",
  __dirname: "the file system",
  __filename: "the file system",
  Reflect: "reflection on built-ins",
  Proxy: "objects that intercept the tests' own checks",
  setTimeout: "timers (course code runs synchronously)",
  setInterval: "timers (course code runs synchronously)",
  setImmediate: "timers (course code runs synchronously)",
  queueMicrotask: "timers (course code runs synchronously)",
  Buffer: "memory outside the JavaScript heap",
  WebAssembly: "compiled code",
  Atomics: "shared memory",
  SharedArrayBuffer: "shared memory",
  fetch: "the network",
};

const MODULE_SPECIFIER = /^\.\/([A-Za-z0-9_-]+?)(\.ts|\.js)?$/;

/** Parses `text`; a file too deeply nested for the parser's recursion becomes a finding, not a crash. */
export function parseModule(name: string, text: string): { source?: ts.SourceFile; problem?: Finding } {
  try {
    // Every file is a module, as vitest runs it: a file without imports is not a script whose top-level
    // names other files would see (`var process` there must not make `process` look declared elsewhere).
    const options: ts.CreateSourceFileOptions = {
      languageVersion: ts.ScriptTarget.ES2022,
      setExternalModuleIndicator: (file) => {
        (file as { externalModuleIndicator?: unknown }).externalModuleIndicator = true;
      },
    };
    return { source: ts.createSourceFile(name, text, options, true, ts.ScriptKind.TS) };
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return {
      problem: {
        line: 1,
        column: 1,
        what: "is nested too deeply to be read (the parser ran out of stack): no course code needs that many levels",
      },
    };
  }
}

/**
 * Checks the submission's exercise files. `files` maps a module name ("loss.ts") to its text;
 * `moduleNames` are the course's module names. Returns the findings of each file that has any:
 * those files must not run.
 */
export function gate(files: Map<string, string>, moduleNames: readonly string[]): Map<string, Finding[]> {
  const refused = new Map<string, Finding[]>();
  const sources = new Map<string, ts.SourceFile>();
  for (const [name, text] of files) {
    const { source, problem } = parseModule(`/submission/${name}`, text);
    if (problem || !source) refused.set(name, [problem as Finding]);
    else sources.set(name, source);
  }
  let checker: ts.TypeChecker;
  try {
    checker = bindOnly(sources);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    for (const name of sources.keys()) {
      refused.set(name, [
        { line: 1, column: 1, what: "is nested too deeply to be read (the checker ran out of stack)" },
      ]);
    }
    return refused;
  }
  const known = new Set(moduleNames.map((n) => n.replace(/\.ts$/, "")));
  for (const [name, source] of sources) {
    const findings = [...syntaxFindings(source), ...new FileGate(source, checker, known).run()];
    if (findings.length > 0) refused.set(name, findings);
  }
  return refused;
}

/**
 * A program over the submission's files alone (no standard library, no module resolution): enough for the
 * binder to say which names each file declares, so a name that resolves to no declaration of the
 * submission is a global.
 */
function bindOnly(sources: Map<string, ts.SourceFile>): ts.TypeChecker {
  const byPath = new Map([...sources.values()].map((s) => [s.fileName, s]));
  const host: ts.CompilerHost = {
    getSourceFile: (fileName) => byPath.get(fileName),
    getDefaultLibFileName: () => "/lib.d.ts",
    writeFile: () => {},
    getCurrentDirectory: () => "/submission",
    getCanonicalFileName: (f) => f,
    useCaseSensitiveFileNames: () => true,
    getNewLine: () => "\n",
    fileExists: (f) => byPath.has(f),
    readFile: () => undefined,
  };
  const program = ts.createProgram([...byPath.keys()], { noLib: true, noResolve: true, types: [] }, host);
  return program.getTypeChecker();
}

function syntaxFindings(source: ts.SourceFile): Finding[] {
  const diagnostics = (source as unknown as { parseDiagnostics?: ts.Diagnostic[] }).parseDiagnostics ?? [];
  return diagnostics.slice(0, 3).map((d) => ({
    ...position(source, d.start ?? 0),
    what: `has a syntax error: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`,
  }));
}

function position(source: ts.SourceFile, pos: number): { line: number; column: number } {
  const { line, character } = source.getLineAndCharacterOfPosition(pos);
  return { line: line + 1, column: character + 1 };
}

/** Skips parentheses, type assertions and `!` around an expression. */
function unwrap(node: ts.Expression): ts.Expression {
  let e = node;
  while (
    ts.isParenthesizedExpression(e) ||
    ts.isAsExpression(e) ||
    ts.isSatisfiesExpression(e) ||
    ts.isNonNullExpression(e) ||
    ts.isTypeAssertionExpression(e)
  ) {
    e = e.expression;
  }
  return e;
}

/** The context an expression is used in, skipping the wrappers `unwrap` skips. */
function usingParent(node: ts.Node): { parent: ts.Node; child: ts.Node } {
  let child = node;
  let parent = node.parent;
  while (
    ts.isParenthesizedExpression(parent) ||
    ts.isAsExpression(parent) ||
    ts.isSatisfiesExpression(parent) ||
    ts.isNonNullExpression(parent) ||
    ts.isTypeAssertionExpression(parent)
  ) {
    child = parent;
    parent = parent.parent;
  }
  return { parent, child };
}

function literalKey(node: ts.Node | undefined): string | undefined {
  if (!node) return undefined;
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isParenthesizedExpression(node)) return literalKey(node.expression);
  return undefined;
}

const hasDeclare = (node: ts.Node) =>
  ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.DeclareKeyword);

class FileGate {
  private readonly findings: Finding[] = [];

  constructor(
    private readonly source: ts.SourceFile,
    private readonly checker: ts.TypeChecker,
    private readonly modules: ReadonlySet<string>,
  ) {}

  run(): Finding[] {
    // An explicit stack, not recursion: a deeply nested file must not overflow the grader's stack.
    const stack: ts.Node[] = [this.source];
    while (stack.length > 0) {
      const node = stack.pop() as ts.Node;
      if (this.visit(node) === "skip") continue;
      const children: ts.Node[] = [];
      ts.forEachChild(node, (child) => {
        children.push(child);
      });
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
    }
    return this.findings.sort((a, b) => a.line - b.line || a.column - b.column);
  }

  private report(node: ts.Node, what: string): void {
    if (this.findings.length < 20) this.findings.push({ ...position(this.source, node.getStart(this.source)), what });
  }

  /** Checks one node; "skip" when its children need no look (types, import lists). */
  private visit(node: ts.Node): "skip" | undefined {
    // `f<number>` (an instantiation expression) is a value with type arguments: check the value.
    if (ts.isExpressionWithTypeArguments(node) && !ts.isHeritageClause(node.parent)) {
      this.pushExpression(node.expression);
      return "skip";
    }
    // Types are erased before the code runs.
    if (
      ts.isTypeNode(node) ||
      ts.isInterfaceDeclaration(node) ||
      ts.isTypeAliasDeclaration(node) ||
      ts.isTypeParameterDeclaration(node)
    ) {
      return "skip";
    }
    if (ts.isHeritageClause(node)) {
      if (node.token === ts.SyntaxKind.ImplementsKeyword) return "skip";
      for (const type of node.types) this.pushExpression(type.expression);
      return "skip";
    }
    if (hasDeclare(node) && !ts.isPropertyDeclaration(node)) {
      this.report(node, "declares an outside name with `declare`: course code declares what it uses");
      return "skip";
    }
    if (ts.isModuleDeclaration(node) && node.name.kind === ts.SyntaxKind.Identifier && node.name.text === "global") {
      this.report(node, "changes the global scope (`declare global`)");
      return "skip";
    }
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) {
      const specifier = node.moduleSpecifier;
      if (specifier) this.checkSpecifier(specifier);
      else if (ts.isExportDeclaration(node)) this.checkLocalExports(node);
      return "skip";
    }
    if (ts.isImportEqualsDeclaration(node)) {
      this.report(node, "uses `import ... = require(...)`: import the course's modules with `import ... from`");
      return "skip";
    }
    if (ts.isExportAssignment(node) && node.isExportEquals) {
      this.report(node, "uses `export =`: export with `export`");
      return "skip";
    }
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      this.report(node, "imports a module at run time (`import()`): course code imports only the course's modules");
      return undefined;
    }
    if (ts.isMetaProperty(node) && node.keywordToken === ts.SyntaxKind.ImportKeyword) {
      this.report(node, "uses `import.meta`, which tells where the code's files are: course code does not need that");
      return "skip";
    }
    if (ts.isPropertyAccessExpression(node)) this.checkMember(node, node.name.text, node.name);
    if (ts.isElementAccessExpression(node)) {
      const key = literalKey(node.argumentExpression);
      if (key !== undefined) this.checkMember(node, key, node.argumentExpression);
    }
    if (ts.isBindingElement(node) && ts.isObjectBindingPattern(node.parent)) {
      const key = node.propertyName
        ? ts.isIdentifier(node.propertyName)
          ? node.propertyName.text
          : literalKey(node.propertyName)
        : ts.isIdentifier(node.name)
          ? node.name.text
          : undefined;
      if (key !== undefined && BLOCKED_MEMBERS.has(key))
        this.report(node, `reads \`${key}\` by destructuring, ${WHY_MEMBER}`);
    }
    if (ts.isBinaryExpression(node) && isAssignment(node.operatorToken.kind)) this.checkTarget(node.left);
    if (
      (ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) &&
      (node.operator === ts.SyntaxKind.PlusPlusToken || node.operator === ts.SyntaxKind.MinusMinusToken)
    ) {
      this.checkTarget(node.operand);
    }
    if (ts.isDeleteExpression(node)) this.checkTarget(node.expression);
    if (ts.isIdentifier(node)) this.checkIdentifier(node);
    if (node.kind === ts.SyntaxKind.ThisKeyword && thisIsModuleScope(node)) {
      this.report(
        node,
        "uses `this` outside any function or class: when the tests run the code, that is the global object",
      );
    }
    return undefined;
  }

  private pushExpression(expression: ts.Expression): void {
    // Heritage expressions (`class A extends Error`) are values: check them like any other.
    const stack: ts.Node[] = [expression];
    while (stack.length > 0) {
      const node = stack.pop() as ts.Node;
      if (this.visit(node) === "skip") continue;
      ts.forEachChild(node, (child) => {
        stack.push(child);
      });
    }
  }

  private checkSpecifier(specifier: ts.Expression): void {
    const name = ts.isStringLiteral(specifier) ? specifier.text : undefined;
    const match = name === undefined ? null : MODULE_SPECIFIER.exec(name);
    if (!match || !this.modules.has(match[1])) {
      this.report(
        specifier,
        `imports ${name === undefined ? "a computed module" : JSON.stringify(name)}: course code imports only the course's own modules, like "./engine"`,
      );
    }
  }

  /** `export { a, b as c }`: each exported name must be one the file declares (not a global it re-exports). */
  private checkLocalExports(node: ts.ExportDeclaration): void {
    if (!node.exportClause || !ts.isNamedExports(node.exportClause)) return;
    for (const spec of node.exportClause.elements) {
      const symbol = this.checker.getExportSpecifierLocalTargetSymbol(spec);
      if (!(symbol?.declarations ?? []).some(declaresAtRunTime))
        this.report(
          spec,
          `exports \`${(spec.propertyName ?? spec.name).getText(this.source)}\`, which it does not declare`,
        );
    }
  }

  /** A global this identifier names, or undefined when the submission declares it. */
  private globalName(id: ts.Identifier): string | undefined {
    const symbol = ts.isShorthandPropertyAssignment(id.parent)
      ? this.checker.getShorthandAssignmentValueSymbol(id.parent)
      : this.checker.getSymbolAtLocation(id);
    return (symbol?.declarations ?? []).some(declaresAtRunTime) ? undefined : id.text;
  }

  private checkIdentifier(id: ts.Identifier): void {
    if (id.text === "" || !isReference(id)) return;
    const name = this.globalName(id);
    if (name === undefined) return;
    if (!ALLOWED_GLOBALS.has(name)) {
      const why = WHY[name] ?? (name.startsWith("__") ? "the test runner's internals" : undefined);
      this.report(
        id,
        why
          ? `uses \`${name}\`, which reaches ${why}: course code only computes`
          : `uses \`${name}\`, which is not one of the built-ins course code may use (Math, Number, Array, Map, Set, JSON, Error, console.log, ...)`,
      );
      return;
    }
    if (PLAIN_VALUES.has(name)) return;
    const { parent, child } = usingParent(id);
    const ok =
      (ts.isPropertyAccessExpression(parent) && parent.expression === child) ||
      ((ts.isCallExpression(parent) || ts.isNewExpression(parent)) && parent.expression === child) ||
      (ts.isBinaryExpression(parent) &&
        parent.operatorToken.kind === ts.SyntaxKind.InstanceOfKeyword &&
        parent.right === child) ||
      ts.isTypeOfExpression(parent) ||
      (ts.isExpressionWithTypeArguments(parent) && ts.isHeritageClause(parent.parent)) ||
      (CALLBACK_GLOBALS.has(name) && this.isMethodArgument(parent, child));
    if (!ok) {
      this.report(
        id,
        ts.isElementAccessExpression(parent) && parent.expression === child
          ? `reads the built-in \`${name}\` with a computed key: name the member (\`${name}.max\`)`
          : `uses the built-in \`${name}\` as a value (an alias, an argument): call it or use its members directly`,
      );
    }
  }

  /** `xs.map(Number)`: an argument of a method called on a value, not on a built-in. */
  private isMethodArgument(parent: ts.Node, child: ts.Node): boolean {
    if (!ts.isCallExpression(parent) || !parent.arguments.includes(child as ts.Expression)) return false;
    const callee = unwrap(parent.expression);
    if (!ts.isPropertyAccessExpression(callee)) return false;
    const receiver = unwrap(callee.expression);
    return !(ts.isIdentifier(receiver) && this.globalName(receiver) !== undefined);
  }

  private checkMember(node: ts.PropertyAccessExpression | ts.ElementAccessExpression, key: string, at: ts.Node): void {
    if (BLOCKED_MEMBERS.has(key)) {
      this.report(at, `reads \`${key}\`, ${WHY_MEMBER}`);
      return;
    }
    const object = unwrap(node.expression);
    const global = ts.isIdentifier(object) ? this.globalName(object) : undefined;
    if (key === "prototype" && !this.isOwnClass(object)) {
      this.report(
        at,
        `reaches the prototype of ${global ? `the built-in \`${global}\`` : "something it did not declare"}`,
      );
    } else if (global === "Object" && OBJECT_REFLECTION.has(key)) {
      this.report(at, `uses \`Object.${key}\`, which reaches prototypes and property descriptors`);
    } else if (global === "console" && !CONSOLE_METHODS.has(key)) {
      this.report(at, `uses \`console.${key}\`: only console's printing methods (console.log, ...) are allowed`);
    }
  }

  /** `Value.prototype`: the prototype of a class or function the submission declares. */
  private isOwnClass(object: ts.Expression): boolean {
    if (!ts.isIdentifier(object)) return false;
    const symbol = this.checker.getSymbolAtLocation(object);
    return (symbol?.declarations ?? []).some(
      (d) => (ts.isClassDeclaration(d) || ts.isFunctionDeclaration(d)) && declaresAtRunTime(d),
    );
  }

  /** An assignment, `++`, `--` or `delete` whose target hangs off a built-in changes that built-in. */
  private checkTarget(target: ts.Expression): void {
    const targets: ts.Expression[] = [target];
    while (targets.length > 0) {
      const t = unwrap(targets.pop() as ts.Expression);
      if (ts.isArrayLiteralExpression(t)) targets.push(...t.elements);
      else if (ts.isObjectLiteralExpression(t)) {
        for (const p of t.properties) {
          if (ts.isPropertyAssignment(p)) targets.push(p.initializer);
          else if (ts.isSpreadAssignment(p)) targets.push(p.expression);
        }
      } else if (ts.isSpreadElement(t)) targets.push(t.expression);
      else if (ts.isBinaryExpression(t) && t.operatorToken.kind === ts.SyntaxKind.EqualsToken) targets.push(t.left);
      else if (ts.isPropertyAccessExpression(t) || ts.isElementAccessExpression(t)) {
        let root: ts.Expression = t;
        while (ts.isPropertyAccessExpression(root) || ts.isElementAccessExpression(root))
          root = unwrap(root.expression);
        const global = ts.isIdentifier(root) ? this.globalName(root) : undefined;
        if (global !== undefined)
          this.report(t, `changes the built-in \`${global}\`: course code never changes built-ins`);
      }
    }
  }
}

/**
 * Whether a `this` is the module's own: outside every function, method, accessor, class body and static
 * block (arrow functions, computed member names, decorators and `extends` clauses see the outer `this`).
 * vitest evaluates a module inside an arrow function run as a script, so there it is the global object.
 */
function thisIsModuleScope(node: ts.Node): boolean {
  for (let at: ts.Node = node; at.parent; at = at.parent) {
    const parent = at.parent;
    if (ts.isComputedPropertyName(at) || ts.isDecorator(at) || ts.isHeritageClause(at)) continue;
    if (
      ts.isFunctionDeclaration(parent) ||
      ts.isFunctionExpression(parent) ||
      ts.isMethodDeclaration(parent) ||
      ts.isConstructorDeclaration(parent) ||
      ts.isGetAccessorDeclaration(parent) ||
      ts.isSetAccessorDeclaration(parent) ||
      ts.isClassStaticBlockDeclaration(parent) ||
      (ts.isPropertyDeclaration(parent) && parent.initializer === at)
    ) {
      return false;
    }
  }
  return true;
}

/**
 * Whether a declaration of the submission still declares the name once types are erased. A type-only
 * import, an interface, a namespace holding only types or a function with only overload signatures leave
 * nothing behind, so a use of that name reaches the global of the same name when the code runs.
 */
function declaresAtRunTime(d: ts.Declaration): boolean {
  if (!d.getSourceFile().fileName.startsWith("/submission/")) return false;
  if (ts.isImportClause(d)) return !d.isTypeOnly;
  if (ts.isImportSpecifier(d)) return !d.isTypeOnly && !d.parent.parent.isTypeOnly;
  if (ts.isNamespaceImport(d)) return !d.parent.isTypeOnly;
  if (ts.isFunctionDeclaration(d)) return d.body !== undefined;
  if (ts.isModuleDeclaration(d)) return holdsValues(d);
  return (
    ts.isVariableDeclaration(d) ||
    ts.isParameter(d) ||
    ts.isBindingElement(d) ||
    ts.isFunctionExpression(d) ||
    ts.isClassDeclaration(d) ||
    ts.isClassExpression(d) ||
    ts.isEnumDeclaration(d) ||
    ts.isEnumMember(d)
  );
}

/** Whether a namespace is emitted (it holds something besides types). */
function holdsValues(d: ts.ModuleDeclaration): boolean {
  const body = d.body;
  if (!body) return false;
  if (ts.isModuleDeclaration(body)) return holdsValues(body);
  if (!ts.isModuleBlock(body)) return false;
  return body.statements.some((s) =>
    ts.isModuleDeclaration(s) ? holdsValues(s) : !(ts.isInterfaceDeclaration(s) || ts.isTypeAliasDeclaration(s)),
  );
}

const WHY_MEMBER =
  "which leads from a value to built-in functions and prototypes (and from there to the host): course code never needs it";

function isAssignment(kind: ts.SyntaxKind): boolean {
  return kind >= ts.SyntaxKind.FirstAssignment && kind <= ts.SyntaxKind.LastAssignment;
}

/** Whether an identifier names a value being used (not a declaration, a member name, a label or a key). */
function isReference(id: ts.Identifier): boolean {
  const parent = id.parent;
  if (ts.isPropertyAccessExpression(parent)) return parent.expression === id;
  if (ts.isQualifiedName(parent)) return false;
  if (ts.isShorthandPropertyAssignment(parent)) return true;
  if (ts.isBindingElement(parent)) return parent.initializer === id;
  if (
    ts.isLabeledStatement(parent) ||
    ts.isBreakStatement(parent) ||
    ts.isContinueStatement(parent) ||
    ts.isMetaProperty(parent)
  ) {
    return false;
  }
  if ("name" in parent && (parent as { name?: ts.Node }).name === id) {
    // Declarations, object-literal keys, methods, accessors, enum members, specifiers.
    return ts.isExportAssignment(parent);
  }
  if ("propertyName" in parent && (parent as { propertyName?: ts.Node }).propertyName === id) return false;
  return true;
}
