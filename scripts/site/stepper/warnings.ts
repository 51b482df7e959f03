/**
 * What the stepper warns about: a node whose data or grad is not a finite number. The engine refuses log(−1) by
 * throwing, but 1 / 0 is Infinity in JavaScript and goes on: every grad that flows through it becomes infinite or
 * NaN, as in a network whose numbers blew up.
 */
import type { Value } from "@course/engine";

/**
 * The warning for the first node (in topological order: the cause before its effects) whose data, or failing
 * that whose grad, is not finite; undefined when every number is finite. `name` gives a node's name as an operand.
 */
export function nonFiniteWarning(nodes: Value[], name: (node: Value) => string): string | undefined {
  const data = nodes.find((node) => !Number.isFinite(node.data));
  if (data) return `${name(data)} is ${data.data}, ${cause(data, name)}: ${CONSEQUENCE}`;
  const grad = nodes.find((node) => !Number.isFinite(node.grad));
  if (grad) {
    return `${name(grad)}.grad is ${grad.grad}: an infinite number reached the backward pass. ${CONSEQUENCE}`;
  }
  return undefined;
}

const CONSEQUENCE =
  "every grad that flows through it becomes infinite or NaN (not a number), as in a network whose numbers blew up.";

function cause(node: Value, name: (node: Value) => string): string {
  const [left, right] = node.children;
  if (node.op === "/" && right?.data === 0) {
    return `after a division by zero (${name(right)} = 0 in ${name(left)} / ${name(right)})`;
  }
  if (node.children.some((child) => !Number.isFinite(child.data))) return "from an infinite input";
  return `because ${node.op || "its value"} overflowed (beyond about 1.8e308)`;
}
