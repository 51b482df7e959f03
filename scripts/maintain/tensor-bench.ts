/**
 * The bench's row for lesson 14's tensor engine: the bench network as an `MLP` on tensors, trained in mini-batches
 * of 32 with plain SGD, from the scalar engine's initial weights, on the examples in order. Its check is the scalar
 * engine trained on the same batches with lesson 12's loop (`trainEpochInBatches`): both must end with the same
 * weights, or the two engines did different work and the timings compare nothing.
 */
import type { Dataset } from "../../solutions/data";

type BatchesModule = typeof import("../../solutions/batches");
type NnModule = typeof import("../../solutions/nn");
type TensorNnModule = typeof import("../../solutions/tensor-nn");
type Mlp = InstanceType<TensorNnModule["MLP"]>;

/** A way of training the bench network that the bench times epoch by epoch, next to the others. */
export interface BenchRow {
  name: string;
  /** One epoch over the bench's examples. */
  epoch(): void;
  /** The network's output for every example. */
  outputs(xs: number[][]): number[];
  /** Every weight and bias, in the order of `ANN.parameters()`. */
  weights(): number[];
}

/** Where an `ANN.parameters()` number lives in an MLP: layer by layer, neuron by neuron, weights then bias. */
function annOrder(mlp: Mlp): { array: Float64Array; index: number }[] {
  return mlp.layers.flatMap(({ weight, bias }) =>
    Array.from({ length: weight.cols }, (_, j) => [
      ...Array.from({ length: weight.rows }, (_, i) => ({ array: weight.data, index: i * weight.cols + j })),
      { array: bias.data, index: j },
    ]).flat(),
  );
}

/** The tensor engine on mini-batches of `batchSize`, in order, with plain SGD at `lr`, from `initial` (ANN order). */
export function tensorRow(
  tensorNn: TensorNnModule,
  batches: BatchesModule,
  sizes: number[],
  data: Dataset,
  { lr, batchSize, initial }: { lr: number; batchSize: number; initial: number[] },
): BenchRow {
  const mlp = new tensorNn.MLP(sizes[0], sizes.slice(1));
  const slots = annOrder(mlp);
  slots.forEach(({ array, index }, i) => {
    array[index] = initial[i];
  });
  const plan = batches.miniBatches(data.x.length, batchSize);
  return {
    name: `tensor engine, batches of ${batchSize}`,
    epoch() {
      for (const batch of plan) {
        const { x, y } = tensorNn.toBatch(data, batch);
        mlp.zeroGrad();
        tensorNn.mseLoss(mlp.forward(x), y).backward();
        mlp.update(lr);
      }
    },
    outputs(xs) {
      const all = { x: xs, y: xs.map(() => 0) };
      return Array.from(mlp.forward(tensorNn.toBatch(all, [...xs.keys()]).x).data);
    },
    weights: () => slots.map(({ array, index }) => array[index]),
  };
}

/** The scalar engine trained `epochs` epochs with lesson 12's loop on the same batches: the tensor row's check. */
export function scalarInBatches(
  nn: NnModule,
  batches: BatchesModule,
  sizes: number[],
  data: Dataset,
  { lr, batchSize, initial, epochs }: { lr: number; batchSize: number; initial: number[]; epochs: number },
): number[] {
  const net = new nn.ANN(sizes[0], sizes.slice(1));
  const params = net.parameters();
  params.forEach((p, i) => {
    p.data = initial[i];
  });
  const optimizer = batches.plainSgd(net, lr);
  for (let epoch = 0; epoch < epochs; epoch++) batches.trainEpochInBatches(net, data, { batchSize, optimizer });
  return params.map((p) => p.data);
}
