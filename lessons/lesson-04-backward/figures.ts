/**
 * The pictures of this lesson's worked examples, drawn by `npm run figures` into figures/<name>.svg.
 * Each entry builds the graph to draw; "-grads" pictures show it after backward().
 */
import { Value } from "../../solutions/engine";

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

/** A neuron with two inputs: o = tanh(x1·w1 + x2·w2 + b), with b chosen so that o = 1/√2. */
export function neuron(): Value {
  const x1 = new Value(2, [], "", "x1");
  const x2 = new Value(0, [], "", "x2");
  const w1 = new Value(-3, [], "", "w1");
  const w2 = new Value(1, [], "", "w2");
  const b = new Value(6.881373587019543, [], "", "b");
  const x1w1 = x1.mul(w1);
  x1w1.label = "x1·w1";
  const x2w2 = x2.mul(w2);
  x2w2.label = "x2·w2";
  const sum = x1w1.add(x2w2);
  sum.label = "x1·w1 + x2·w2";
  const n = sum.add(b);
  n.label = "n";
  const o = n.tanh();
  o.label = "o";
  return o;
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
