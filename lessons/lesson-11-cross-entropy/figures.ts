/**
 * The pictures of this lesson's worked example, drawn by `npm run figures` into figures/<name>.svg:
 * the graph of bceWithLogitsLoss at z = 2 for the label 1, before and after backward().
 */
import { Value } from "../../solutions/engine";
import { bceWithLogitsLoss } from "../../solutions/loss";

/** L = softplus(z) − 1 · z at z = 2. */
export function lossAtTwo(): Value {
  const z = new Value(2, [], "", "z");
  const loss = bceWithLogitsLoss(z, 1);
  loss.label = "L";
  return loss;
}

export const figures: Record<string, () => Value> = {
  "bce-with-logits": lossAtTwo,
  "bce-with-logits-grads": () => {
    const loss = lossAtTwo();
    loss.backward();
    return loss;
  },
};
