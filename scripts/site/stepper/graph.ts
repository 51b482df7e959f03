/**
 * A parsed program turned into a graph of the course's own `Value`s: every operation is the engine's method,
 * so the data, the children and the local backward steps are the ones the learner wrote.
 */
import type { Value } from "@course/engine";
import { type Expr, ExpressionError, literalValue, type Statement } from "./expression";

export interface ExpressionGraph {
  root: Value;
  /** What each node is called on screen: its name in the program, or the text it was computed from. */
  names: Map<Value, string>;
}

/** Builds the graph with `ValueClass` (the engine's `Value`); throws an ExpressionError naming the line. */
export function buildGraph(statements: Statement[], ValueClass: typeof Value): ExpressionGraph {
  const scope = new Map<string, { node: Value; line: number }>();
  const names = new Map<Value, string>();

  const constant = (value: number, text: string, expr: Expr) => {
    const node = engineCall(expr, () => new ValueClass(value));
    names.set(node, text);
    return node;
  };

  const evaluate = (expr: Expr): Value => {
    let node: Value;
    switch (expr.kind) {
      case "number":
        return constant(expr.value, expr.text, expr);
      case "name": {
        const bound = scope.get(expr.name);
        if (!bound) {
          throw new ExpressionError(
            expr.line,
            expr.column,
            `${expr.name} has no value: give it one on an earlier line, like ${expr.name} = 1.`,
          );
        }
        return bound.node;
      }
      case "negate": {
        // -3 is the number -3, as a reader means it, not neg() of a node 3.
        const literal = literalValue(expr);
        if (literal !== undefined) return constant(literal, expr.text, expr);
        const operand = evaluate(expr.operand);
        node = engineCall(expr, () => operand.neg());
        break;
      }
      case "call": {
        const target = evaluate(expr.target);
        const method = (target as unknown as Record<string, unknown>)[expr.method];
        if (typeof method !== "function") {
          throw new ExpressionError(expr.line, expr.column, `this engine has no .${expr.method}() operation.`);
        }
        node = engineCall(expr, () => method.call(target) as Value);
        break;
      }
      case "binary": {
        const left = evaluate(expr.left);
        if (expr.op === "**") {
          const exponent = literalValue(expr.right);
          if (exponent === undefined) {
            throw new ExpressionError(
              expr.right.line,
              expr.right.column,
              "the exponent of ** must be a number, like x**2: the engine's pow takes a constant exponent.",
            );
          }
          node = engineCall(expr, () => left.pow(exponent));
          break;
        }
        const right = evaluate(expr.right);
        const method = ({ "+": "add", "-": "sub", "*": "mul", "/": "div" } as const)[expr.op];
        node = engineCall(expr, () => left[method](right));
        break;
      }
    }
    names.set(node, expr.text);
    return node;
  };

  let root: Value | undefined;
  statements.forEach((statement, i) => {
    const last = i === statements.length - 1;
    const { name, expr } = statement;
    if (name === undefined) {
      if (!last) {
        throw new ExpressionError(
          statement.line,
          expr.column,
          "nothing uses this value: name it (x = ...) to use it below, or make it the last line.",
        );
      }
      root = evaluate(expr);
      return;
    }
    const earlier = scope.get(name);
    if (earlier) {
      throw new ExpressionError(
        statement.line,
        1,
        `${name} is already defined on line ${earlier.line}: pick another name.`,
      );
    }
    const literal = literalValue(expr);
    const node = literal === undefined ? evaluate(expr) : engineCall(expr, () => new ValueClass(literal, [], "", name));
    if ([...scope.values()].some((bound) => bound.node === node)) {
      throw new ExpressionError(
        statement.line,
        expr.column,
        `${name} would be a second name for ${names.get(node)}: a graph node has one name. Write an operation.`,
      );
    }
    node.label = name;
    names.set(node, name);
    scope.set(name, { node, line: statement.line });
    root = node;
  });
  if (!root) throw new ExpressionError(1, 1, "the program is empty.");
  return { root, names };
}

/** Runs one engine operation; an error it throws (a stub, log of a negative number) gets the line it came from. */
function engineCall(expr: Expr, operation: () => Value): Value {
  try {
    return operation();
  } catch (error) {
    throw new ExpressionError(expr.line, expr.column, error instanceof Error ? error.message : String(error));
  }
}
