/**
 * The playground's training, one update at a time, written with the course's own pieces: the learner's `ANN`
 * (lessons 05-07) on their engine (01-04), with tanh, relu or sigmoid (lessons 02 and 11) between the layers,
 * their `seLoss` (08) or `bceWithLogitsLoss` (11), `miniBatches` (12) for batches of more than one example,
 * their optimizers and their regularization (13). The loop itself is lesson 09's: zeroGrad, forward, loss,
 * backward, update.
 *
 * With tanh, batch size 1, squared error, plain SGD and no regularization it is lesson 09's `train` step for
 * step, and the data, split and initial weights follow study.ts, so a notebook model here retraces its run of
 * `npm run experiments`.
 */
import type * as Batches from "@course/batches";
import type { Dataset } from "@course/data";
import type * as Engine from "@course/engine";
import type { Value } from "@course/engine";
import type * as Loss from "@course/loss";
import type * as Nn from "@course/nn";
import type { ANN } from "@course/nn";
import type * as Optim from "@course/optim";
import type { HistoryRow } from "@course/train";
import { type DataCourse, makeData } from "./datasets";
import type { ActivationName, LiveField, RegularizationName, Settings } from "./settings";

/** The course modules the training needs, loaded from the target the site was built from. */
export interface TrainingCourse extends DataCourse {
  engine: typeof Engine;
  nn: typeof Nn;
  loss: typeof Loss;
  /** Needed only for batches of more than one example. */
  batches?: typeof Batches;
  /** Needed only for lesson 13's optimizers and weight decay. */
  optim?: typeof Optim;
}

interface Updater {
  zeroGrad(): void;
  step(): void;
  lr: number;
}

export class Trainer {
  readonly model: ANN;
  readonly train: Dataset;
  readonly test: Dataset;
  /** Epochs completed. */
  epoch = 0;
  /** Updates made (one per batch). */
  updates = 0;
  /** The network's output for each test point at the last evaluation, as the engine computed it... */
  testOutputs: number[] = [];
  /** ...after this many updates. */
  evaluatedAt = -1;
  /** Updates per epoch: one per batch. */
  readonly updatesPerEpoch: number;
  private batches: number[][] = [];
  private nextBatch = 0;
  private readonly optimizer: Updater;
  private readonly weights: Value[];
  private readonly pointLoss: (output: Value, target: number) => Value;
  private readonly batchLoss: (outputs: Value[], targets: number[]) => Value;
  private readonly activate: (v: Value) => Value;
  private regularization: RegularizationName = "none";
  private rate = 0;

  constructor(
    private readonly course: TrainingCourse,
    private readonly settings: Settings,
  ) {
    const { nn, random, loss } = course;
    tryEarlierLessons(course);
    const data = makeData(course, settings.data, settings.n, settings.noise, settings.seed);
    // Squared error trains the output towards -1/+1 (lesson 09); cross-entropy takes the 0/1 labels (lesson 11).
    const targets = settings.loss === "mse" ? course.data.toSigned(data.y) : data.y;
    ({ train: this.train, test: this.test } = course.data.trainTestSplit(
      { x: data.x, y: targets },
      { testFraction: settings.test, seed: settings.seed },
    ));
    this.updatesPerEpoch = Math.ceil(this.train.x.length / Math.min(settings.batch, this.train.x.length));
    this.model = new nn.ANN(2, [...settings.hidden, 1], { rng: new random.Random(settings.seed) });
    this.activate = activation(settings.activation);
    if (settings.activation === "sigmoid") new course.engine.Value(0).sigmoid(); // lesson 11, before any training
    this.weights = this.model.weights();
    this.optimizer = makeOptimizer(course, this.model, settings);
    this.setLive("regularization", settings.regularization);
    this.setLive("rate", settings.rate);
    if (settings.loss === "mse") {
      this.pointLoss = loss.seLoss;
      this.batchLoss = (outputs, targets) =>
        outputs.length === 1 ? loss.seLoss(outputs[0], targets[0]) : loss.meanSeLoss(outputs, targets);
    } else {
      this.pointLoss = loss.bceWithLogitsLoss;
      this.batchLoss = (outputs, targets) => {
        const losses = outputs.map((output, i) => loss.bceWithLogitsLoss(output, targets[i]));
        return losses.length === 1 ? losses[0] : losses.reduce((sum, l) => sum.add(l)).div(losses.length);
      };
    }
  }

  /** Changes the learning rate, the regularization or its rate, from the next update on. */
  setLive(field: "lr" | "rate" | "regularization", value: number | RegularizationName): void {
    if (field === "lr") this.optimizer.lr = value as number;
    else if (field === "rate") this.rate = value as number;
    else {
      this.regularization = value as RegularizationName;
      // A lesson this needs that is not done yet should say so now, not at the first update.
      if (value === "l1") this.course.loss.l1Penalty([]);
      if (value === "l2") this.course.loss.l2Penalty([]);
      if (value === "decay") required(this.course.optim, "optim").decayWeights([], 0, 0);
    }
  }

  /** The network's output for one point: lesson 07's forward with the chosen activation between the layers. */
  forward(x: number[]): Value {
    if (this.settings.activation === "tanh") return this.model.forward(x)[0];
    const [first, ...rest] = this.model.layers;
    let out = first.forward(x);
    for (const layer of rest) out = layer.forward(out.map(this.activate));
    return out[0];
  }

  /** One update on the next batch. Returns true when it completed an epoch. */
  update(): boolean {
    if (this.nextBatch === 0) this.batches = this.epochBatches();
    const batch = this.batches[this.nextBatch];
    this.optimizer.zeroGrad();
    const outputs = batch.map((i) => this.forward(this.train.x[i]));
    const loss = this.withPenalty(
      this.batchLoss(
        outputs,
        batch.map((i) => this.train.y[i]),
      ),
    );
    checkFinite(loss.data, `the loss of update ${this.updates + 1}`);
    loss.backward();
    if (this.regularization === "decay" && this.rate > 0) {
      required(this.course.optim, "optim").decayWeights(this.weights, this.optimizer.lr, this.rate);
    }
    this.optimizer.step();
    this.updates += 1;
    this.nextBatch = (this.nextBatch + 1) % this.batches.length;
    if (this.nextBatch > 0) return false;
    this.epoch += 1;
    return true;
  }

  /** How far into the current epoch: updates made in it, out of `updatesPerEpoch`. */
  get updatesIntoEpoch(): number {
    return this.nextBatch;
  }

  /** The loss plus rate · penalty of the weights, for L1 and L2: what lesson 13 adds to a loss. */
  private withPenalty(loss: Value): Value {
    if (this.rate === 0 || (this.regularization !== "l1" && this.regularization !== "l2")) return loss;
    const penalty = this.regularization === "l1" ? this.course.loss.l1Penalty : this.course.loss.l2Penalty;
    return loss.add(penalty(this.weights).mul(this.rate));
  }

  /** Loss and accuracy on both sets, by forward passes only (lesson 09's `evaluate`, with the chosen loss). */
  evaluate(): HistoryRow {
    const train = this.measure(this.train);
    const test = this.measure(this.test);
    this.testOutputs = test.outputs;
    this.evaluatedAt = this.updates;
    return {
      epoch: this.epoch,
      trainLoss: train.loss,
      testLoss: test.loss,
      trainAccuracy: train.accuracy,
      testAccuracy: test.accuracy,
    };
  }

  /**
   * Seconds one update takes, measured on the first batch: forward, loss and backward, for about 0.1 s once V8
   * has had 0.1 s to compile them (the first runs are many times slower). Nothing is updated: the grads it leaves
   * are zeroed by the next update.
   */
  timeOneUpdate(): number {
    const batch = Math.min(this.settings.batch, this.train.x.length);
    const x = this.train.x.slice(0, batch);
    const y = this.train.y.slice(0, batch);
    const once = () =>
      this.withPenalty(
        this.batchLoss(
          x.map((point) => this.forward(point)),
          y,
        ),
      ).backward();
    for (const until = performance.now() + 100; performance.now() < until; ) once();
    const start = performance.now();
    let rounds = 0;
    while (rounds < 1 || performance.now() - start < 100) {
      once();
      rounds++;
    }
    this.optimizer.zeroGrad();
    return (performance.now() - start) / rounds / 1000;
  }

  private measure(set: Dataset): { loss: number; accuracy: number; outputs: number[] } {
    let total = 0;
    let correct = 0;
    const outputs: number[] = [];
    for (let i = 0; i < set.x.length; i++) {
      const output = this.forward(set.x[i]);
      total += this.pointLoss(output, set.y[i]).data;
      // Class +1 is the target +1 (squared error) or the label 1 (cross-entropy); an output of 0 counts as +1.
      if (output.data >= 0 === (set.y[i] === 1)) correct += 1;
      outputs.push(output.data);
    }
    const loss = total / set.x.length;
    checkFinite(loss, `the loss after epoch ${this.epoch}`);
    return { loss, accuracy: correct / set.x.length, outputs };
  }

  /** Batch size 1 is lesson 09's per-example SGD, in order, and must not need lesson 12. */
  private epochBatches(): number[][] {
    const n = this.train.x.length;
    if (this.settings.batch === 1) return Array.from({ length: n }, (_, i) => [i]);
    return required(this.course.batches, "batches").miniBatches(n, Math.min(this.settings.batch, n));
  }
}

/** Which Trainer setting a live change sets. */
export const LIVE_SETTING: Record<LiveField, "lr" | "rate" | "regularization"> = {
  lr: "lr",
  rate: "rate",
  reg: "regularization",
};

/**
 * The network as a plain function of a point, read from its current weights: lesson 07's forward (w·x + b per
 * neuron, the activation between layers) in ordinary arithmetic, for the pictures. Drawing them with the engine
 * would build a graph of hundreds of nodes per grid point, a second or more per picture; the worker checks this
 * function against the engine's own outputs after every epoch. Given `units`, it also writes there every hidden
 * neuron's output, layer by layer: the tiles of the network picture.
 */
export function networkFunction(
  model: ANN,
  activation: ActivationName,
): (x: number, y: number, units?: Float32Array) => number {
  const layers = model.layers.map((layer) => layer.neurons.map((n) => ({ w: n.w.map((w) => w.data), b: n.b.data })));
  const squash = PLAIN_ACTIVATIONS[activation];
  return (x, y, units) => {
    let values = [x, y];
    let unit = 0;
    layers.forEach((layer, i) => {
      if (i > 0) {
        values = values.map(squash);
        if (units) for (const v of values) units[unit++] = v;
      }
      // Summed in the engine's order (b, then each w·x), so the numbers agree to the last bit.
      const inputs = values;
      values = layer.map(({ w, b }) => w.reduce((sum, wi, j) => sum + wi * inputs[j], b));
    });
    return values[0];
  };
}

/** The activations in plain arithmetic, as the engine computes them (lessons 02 and 11). */
const PLAIN_ACTIVATIONS: Record<ActivationName, (v: number) => number> = {
  tanh: Math.tanh,
  relu: (v) => Math.max(0, v),
  sigmoid: (v) => 1 / (1 + Math.exp(-v)),
  linear: (v) => v,
};

/** The engine's operation for each activation; tanh is the ANN's own (lesson 07). */
function activation(name: ActivationName): (v: Value) => Value {
  if (name === "relu") return (v) => v.relu();
  if (name === "sigmoid") return (v) => v.sigmoid();
  if (name === "linear") return (v) => v;
  return (v) => v.tanh();
}

/**
 * The first code of the course the trainer runs is the ANN's constructor, lesson 07's. So that a learner who has
 * not got that far is told the first lesson to finish rather than lesson 07, the earlier lessons' pieces are
 * tried first, in lesson order: a starter stub throws its own lesson's error.
 */
function tryEarlierLessons({ engine, nn }: TrainingCourse): void {
  const a = new engine.Value(0.5).mul(2).add(1).sub(1).div(2).neg().pow(2); // lesson 01
  const out = a.tanh().mul(a).add(a.relu()); // lesson 02
  out.topoSort(); // lesson 03
  out.backward(); // lesson 04
  new nn.Neuron(2).forward([1, 1]); // lesson 05
  new nn.Layer(2, 2).forward([1, 1]); // lesson 06
}

function makeOptimizer(course: TrainingCourse, model: ANN, { optimizer, lr }: Settings): Updater {
  if (optimizer === "sgd") {
    const plain: Updater = { lr, zeroGrad: () => model.zeroGrad(), step: () => model.update(plain.lr) };
    return plain;
  }
  const optim = required(course.optim, "optim");
  const params = model.parameters();
  if (optimizer === "momentum") return new optim.SGD(params, { lr, momentum: 0.9 });
  if (optimizer === "rmsprop") return new optim.RMSprop(params, { lr });
  return new optim.Adam(params, { lr });
}

function required<T>(module: T | undefined, name: string): NonNullable<T> {
  if (!module) throw new Error(`These settings need the course's ${name}.ts, which this site was built without.`);
  return module;
}

// The wording matches the engine's own refusals of NaN, which the playground reports as divergence.
function checkFinite(x: number, what: string): void {
  if (!Number.isFinite(x)) throw new RangeError(`${what} became ${x}, not a finite number`);
}
