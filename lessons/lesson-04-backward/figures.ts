/**
 * The pictures of this lesson's worked examples, drawn by `npm run figures` into figures/<name>.svg.
 * Each entry builds the graph to draw; "-grads" pictures show it after backward().
 */
import { Value } from "../../solutions/engine";
import { neuron } from "../lesson-02-tanh/figures";

/** L = (a*b + c) * f with a = 2, b = -3, c = 10, f = -2: micrograd's first worked example. */
export function loss(): Value {
  const a = new Value(2, [], "", "a");
  const b = new Value(-3, [], "", "b");
  const c = new Value(10, [], "", "c");
  const f = new Value(-2, [], "", "f");
  const e = a.mul(b);
  e.label = "e";
  const d = e.add(c);
  d.label = "d";
  const L = d.mul(f);
  L.label = "L";
  return L;
}

function afterBackward(build: () => Value): () => Value {
  return () => {
    const root = build();
    root.backward();
    return root;
  };
}

export const figures: Record<string, () => Value> = {
  loss,
  "loss-grads": afterBackward(loss),
  neuron,
  "neuron-grads": afterBackward(neuron),
};
