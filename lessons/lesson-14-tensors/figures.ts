/**
 * The picture of this lesson, drawn by `npm run figures` into figures/<name>.svg: the whole graph of one training
 * step of a 2-8-8-1 network on a batch of 32 two-moons points, one node per tensor (with its shape).
 */
import { makeMoons, toSigned } from "../../solutions/data";
import type { Tensor } from "../../solutions/tensor";
import { MLP, mseLoss, toBatch } from "../../solutions/tensor-nn";

/** The mean squared error of MLP(2, [8, 8, 1]) on a batch of 32 points. */
export function batchOf32(): Tensor {
  const moons = makeMoons(32, { seed: 1 });
  const { x, y } = toBatch({ x: moons.x, y: toSigned(moons.y) }, [...Array(32).keys()]);
  const loss = mseLoss(new MLP(2, [8, 8, 1]).forward(x), y);
  loss.label = "L";
  return loss;
}

export const figures: Record<string, () => Tensor> = { "batch-of-32": batchOf32 };
