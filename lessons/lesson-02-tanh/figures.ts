/**
 * The pictures of this lesson's worked example, drawn by `npm run figures` into figures/<name>.svg.
 * Each entry builds the graph to draw. There is no backward() yet in this lesson, so the "-grads" picture
 * shows the graph after one local step, as the README's code does.
 */
import { Value } from "../../solutions/engine";

/** out = tanh(x) at x = 0.5. */
export function tanhOfHalf(): Value {
  const x = new Value(0.5, [], "", "x");
  const out = x.tanh();
  out.label = "out";
  return out;
}

export const figures: Record<string, () => Value> = {
  tanh: tanhOfHalf,
  "tanh-grads": () => {
    const out = tanhOfHalf();
    out.grad = 2; // pretend dL/dout = 2
    out.localBackward();
    return out;
  },
};
