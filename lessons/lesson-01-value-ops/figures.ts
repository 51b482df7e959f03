/**
 * The pictures of this lesson's worked example, drawn by `npm run figures` into figures/<name>.svg.
 * Each entry builds the graph to draw; "-grads" pictures show it after backward().
 */
import { Value } from "../../solutions/engine";

/** d = a*b + c with a = 2, b = -3, c = 10. */
export function expression(): Value {
  const a = new Value(2, [], "", "a");
  const b = new Value(-3, [], "", "b");
  const c = new Value(10, [], "", "c");
  const e = a.mul(b);
  e.label = "e";
  const d = e.add(c);
  d.label = "d";
  return d;
}

export const figures: Record<string, () => Value> = {
  expression,
  "expression-grads": () => {
    const d = expression();
    d.backward();
    return d;
  },
};
