/**
 * The pictures of this lesson's worked example, drawn by `npm run figures` into figures/<name>.svg.
 * Each entry builds the graph to draw; "-grads" pictures show it after backward().
 */
import { Value } from "../../solutions/engine";

/** f = (a*b) * (a+b) with a = -2, b = 3: a and b are each used twice, so the graph is not a tree. */
export function sharedNode(): Value {
  const a = new Value(-2, [], "", "a");
  const b = new Value(3, [], "", "b");
  const d = a.mul(b);
  d.label = "d";
  const e = a.add(b);
  e.label = "e";
  const f = d.mul(e);
  f.label = "f";
  return f;
}

export const figures: Record<string, () => Value> = {
  "shared-node": sharedNode,
  "shared-node-grads": () => {
    const f = sharedNode();
    f.backward();
    return f;
  },
};
