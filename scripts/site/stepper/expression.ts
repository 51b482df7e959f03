/**
 * The stepper's small expression language, parsed here rather than run as JavaScript: a learner's typing must
 * never execute code. A program is one statement per line (or separated by `;`):
 *
 *     a = 2; b = -3; c = 10      a name given a number is an input (a leaf of the graph)
 *     e = a*b                    a name given an expression labels that node
 *     (e + c).tanh()             the last statement is the root; it may stay unnamed
 *
 * Expressions have numbers, names, + - * / ** (the exponent a number, as the engine's pow wants), unary minus,
 * parentheses and the engine's one-argument operations as methods: .tanh() .exp() .relu() .sigmoid() .log()
 * .softplus(). `-a**2` is -(a**2), as in Python, micrograd's language. `#` starts a comment.
 */

export const METHODS = ["tanh", "exp", "relu", "sigmoid", "log", "softplus"] as const;
export type Method = (typeof METHODS)[number];
export type BinaryOp = "+" | "-" | "*" | "/" | "**";

/** Where an expression starts, and its source text (for the names of unnamed nodes). */
interface Span {
  line: number;
  column: number;
  text: string;
}

export type Expr =
  | ({ kind: "number"; value: number } & Span)
  | ({ kind: "name"; name: string } & Span)
  | ({ kind: "negate"; operand: Expr } & Span)
  | ({ kind: "binary"; op: BinaryOp; left: Expr; right: Expr } & Span)
  | ({ kind: "call"; method: Method; target: Expr } & Span);

export interface Statement {
  /** The name on the left of `=`, if any. */
  name?: string;
  expr: Expr;
  line: number;
}

/** A mistake in the program, with the line and column (both from 1) it was found at. */
export class ExpressionError extends Error {
  constructor(
    readonly line: number,
    readonly column: number,
    what: string,
  ) {
    super(`Line ${line}, column ${column}: ${what}`);
  }
}

type TokenKind = "number" | "name" | "op" | "end";

interface Token {
  kind: TokenKind;
  text: string;
  line: number;
  column: number;
  /** Offset in the source, to cut out an expression's text. */
  start: number;
}

// Spaces and tabs between tokens; a newline is a token of its own (it ends a statement, like ";").
const TOKEN = /[ \t\r]*(?:(#[^\n]*)|(\n)|((?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)|([A-Za-z_]\w*)|(\*\*|[-+*/().;=]))/y;

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let lineStart = 0;
  let at = 0;
  const position = (offset: number) => ({ line, column: offset - lineStart + 1, start: offset });
  for (;;) {
    TOKEN.lastIndex = at;
    const match = TOKEN.exec(source);
    if (!match) {
      const rest = source.slice(at).replace(/^[ \t\r]*/, "");
      if (rest === "") break;
      const where = position(source.length - rest.length);
      throw new ExpressionError(
        where.line,
        where.column,
        `"${rest.match(/^\S+/)?.[0] ?? rest[0]}" is not part of the language.`,
      );
    }
    const [whole, , newline, number, name, op] = match;
    const offset = match.index + (/^[ \t\r]*/.exec(whole)?.[0].length ?? 0);
    if (newline) {
      tokens.push({ kind: "op", text: ";", ...position(offset) });
      line += 1;
      lineStart = offset + 1;
    } else if (number) tokens.push({ kind: "number", text: number, ...position(offset) });
    else if (name) tokens.push({ kind: "name", text: name, ...position(offset) });
    else if (op) tokens.push({ kind: "op", text: op, ...position(offset) });
    at = match.index + whole.length;
  }
  tokens.push({ kind: "end", text: "", ...position(source.length) });
  return tokens;
}

/** The statements of `source`, in order; throws an ExpressionError saying what is wrong and where. */
export function parseProgram(source: string): Statement[] {
  const tokens = tokenize(source);
  let i = 0;
  const peek = () => tokens[i];
  const fail = (token: Token, what: string): never => {
    throw new ExpressionError(token.line, token.column, what);
  };
  const found = (token: Token) => (token.kind === "end" ? "the end" : `"${token.text}"`);
  const isOp = (text: string) => peek().kind === "op" && peek().text === text;
  const span = (first: Token): Span => ({
    line: first.line,
    column: first.column,
    text: source.slice(first.start, tokens[i - 1].start + tokens[i - 1].text.length).replace(/\s+/g, " "),
  });

  const primary = (): Expr => {
    const token = peek();
    if (token.kind === "number") {
      i++;
      return { kind: "number", value: Number(token.text), ...span(token) };
    }
    if (token.kind === "name") {
      i++;
      return { kind: "name", name: token.text, ...span(token) };
    }
    if (isOp("(")) {
      i++;
      const inner = expression();
      if (!isOp(")")) fail(peek(), `expected ")" to close the "(" of column ${token.column}, found ${found(peek())}.`);
      i++;
      // The node is the inner expression's: it keeps its text without the parentheses, its position inside them.
      return inner;
    }
    return fail(token, `expected a number, a name or "(", found ${found(token)}.`);
  };

  const postfix = (): Expr => {
    const first = peek();
    let target = primary();
    while (isOp(".")) {
      i++;
      const method = peek();
      if (method.kind !== "name")
        fail(method, `expected an operation after ".", like .tanh(), found ${found(method)}.`);
      if (!(METHODS as readonly string[]).includes(method.text)) {
        fail(method, `.${method.text}() is not an operation of Value: use ${METHODS.map((m) => `.${m}()`).join(" ")}.`);
      }
      i++;
      if (!isOp("(")) fail(peek(), `expected "()" after .${method.text}, found ${found(peek())}.`);
      i++;
      if (!isOp(")")) fail(peek(), `.${method.text}() takes no argument, found ${found(peek())}.`);
      i++;
      target = { kind: "call", method: method.text as Method, target, ...span(first) };
    }
    return target;
  };

  // ** binds tighter than unary minus on its left and takes a signed exponent on its right: -a**-2 = -(a**(-2)).
  const power = (): Expr => {
    const first = peek();
    const base = postfix();
    if (!isOp("**")) return base;
    i++;
    return { kind: "binary", op: "**", left: base, right: unary(), ...span(first) };
  };

  const unary = (): Expr => {
    const first = peek();
    if (!isOp("-")) return power();
    i++;
    return { kind: "negate", operand: unary(), ...span(first) };
  };

  const binaryLevel = (ops: BinaryOp[], next: () => Expr) => (): Expr => {
    const first = peek();
    let left = next();
    while (peek().kind === "op" && (ops as string[]).includes(peek().text)) {
      const op = tokens[i++].text as BinaryOp;
      left = { kind: "binary", op, left, right: next(), ...span(first) };
    }
    return left;
  };
  const term = binaryLevel(["*", "/"], unary);
  const expression = binaryLevel(["+", "-"], term);

  const statements: Statement[] = [];
  while (peek().kind !== "end") {
    if (isOp(";")) {
      i++;
      continue;
    }
    const first = peek();
    let name: string | undefined;
    if (first.kind === "name" && tokens[i + 1].kind === "op" && tokens[i + 1].text === "=") {
      name = first.text;
      i += 2;
    }
    const expr = expression();
    if (!isOp(";") && peek().kind !== "end") {
      fail(peek(), `expected an operator or the end of the line, found ${found(peek())}.`);
    }
    statements.push({ ...(name === undefined ? {} : { name }), expr, line: first.line });
  }
  if (statements.length === 0)
    throw new ExpressionError(1, 1, "the program is empty: write an expression, like (a*b + c).tanh().");
  return statements;
}

/** The number an expression stands for when it is a literal, like `2` or `-3`; undefined otherwise. */
export function literalValue(expr: Expr): number | undefined {
  if (expr.kind === "number") return expr.value;
  if (expr.kind === "negate") {
    const inner = literalValue(expr.operand);
    return inner === undefined ? undefined : -inner;
  }
  return undefined;
}

/**
 * `text` ready to be written next to an operator or before `.grad`: in parentheses unless it is one name, a
 * number or a method call, so that `x1*w1 + x2*w2` becomes `(x1*w1 + x2*w2).grad`, not `x1*w1 + x2*w2.grad`.
 */
export function asOperand(text: string): string {
  try {
    const [statement, ...more] = parseProgram(text);
    const atomic = ["name", "number", "call"].includes(statement.expr.kind);
    if (more.length === 0 && statement.name === undefined && atomic) return text;
  } catch {
    // Not an expression of the language (a label the engine gave): parentheses keep it in one piece.
  }
  return `(${text})`;
}
