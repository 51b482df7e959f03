/**
 * The picture of this lesson's worked example, drawn by `npm run figures` into figures/<name>.svg: the graph of
 * one batch of two examples, after backward(), for the one-neuron network ŷ = w·x + b with w = b = 1.
 */
import { batchLoss } from "../../solutions/batches";
import type { Value } from "../../solutions/engine";
import { ANN } from "../../solutions/nn";

/** The batch's mean squared error for the examples (x = 1, y = −1) and (x = 0, y = 1), after backward(). */
export function batchOfTwo(): Value {
  const net = new ANN(1, [1], { init: "ones" });
  const [w, b] = net.parameters();
  w.label = "w";
  b.label = "b";
  const loss = batchLoss(net, { x: [[1], [0]], y: [-1, 1] }, [0, 1]);
  loss.label = "L";
  loss.backward();
  return loss;
}

export const figures: Record<string, () => Value> = { "batch-of-two": batchOfTwo };
