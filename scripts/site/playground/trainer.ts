/**
 * The playground's training, one update at a time, written with the course's own pieces: the learner's `ANN`
 * (lessons 05-07) on their engine (01-04), their `seLoss` (08) or `bceWithLogitsLoss` (11), `miniBatches` (12)
 * for batches of more than one example, and their optimizers (13). The loop itself is lesson 09's:
 * zeroGrad, forward, loss, backward, update.
 *
 * With batch size 1, squared error and plain SGD it is lesson 09's `train` step for step, and the data, split
 * and initial weights follow study.ts, so a notebook model here retraces its run of `npm run experiments`.
 */
import type * as Batches from "@course/batches";
import type * as Data from "@course/data";
import type { Dataset } from "@course/data";
import type * as Engine from "@course/engine";
import type { Value } from "@course/engine";
import type * as Loss from "@course/loss";
import type * as Nn from "@course/nn";
import type { ANN } from "@course/nn";
import type * as Optim from "@course/optim";
import type * as RandomModule from "@course/random";
import type { HistoryRow } from "@course/train";
import type { Settings } from "./settings";

/** The course modules the training needs, loaded from the target the site was built from. */
export interface TrainingCourse {
  engine: typeof Engine;
  data: typeof Data;
  random: typeof RandomModule;
  nn: typeof Nn;
  loss: typeof Loss;
  /** Needed only for batches of more than one example. */
  batches?: typeof Batches;
  /** Needed only for lesson 13's optimizers. */
  optim?: typeof Optim;
}

interface Updater {
  zeroGrad(): void;
  step(): void;
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
  private batches: number[][] = [];
  private nextBatch = 0;
  private readonly optimizer: Updater;
  private readonly pointLoss: (output: Value, target: number) => Value;
  private readonly batchLoss: (outputs: Value[], targets: number[]) => Value;

  constructor(
    private readonly course: TrainingCourse,
    private readonly settings: Settings,
    testFraction: number,
  ) {
    const { data, nn, random, loss } = course;
    tryEarlierLessons(course);
    const moons = data.makeMoons(settings.n, { noise: settings.noise, seed: settings.seed });
    // Squared error trains the output towards -1/+1 (lesson 09); cross-entropy takes the 0/1 labels (lesson 11).
    const targets = settings.loss === "mse" ? data.toSigned(moons.y) : moons.y;
    ({ train: this.train, test: this.test } = data.trainTestSplit(
      { x: moons.x, y: targets },
      { testFraction, seed: settings.seed },
    ));
    this.model = new nn.ANN(2, [...settings.hidden, 1], { rng: new random.Random(settings.seed) });
    this.optimizer = makeOptimizer(course, this.model, settings);
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

  /** One update on the next batch. Returns true when it completed an epoch. */
  update(): boolean {
    if (this.nextBatch === 0) this.batches = this.epochBatches();
    const batch = this.batches[this.nextBatch];
    this.optimizer.zeroGrad();
    const outputs = batch.map((i) => this.model.forward(this.train.x[i])[0]);
    const loss = this.batchLoss(
      outputs,
      batch.map((i) => this.train.y[i]),
    );
    checkFinite(loss.data, `the loss of update ${this.updates + 1}`);
    loss.backward();
    this.optimizer.step();
    this.updates += 1;
    this.nextBatch = (this.nextBatch + 1) % this.batches.length;
    if (this.nextBatch > 0) return false;
    this.epoch += 1;
    return true;
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

  private measure(set: Dataset): { loss: number; accuracy: number; outputs: number[] } {
    let total = 0;
    let correct = 0;
    const outputs: number[] = [];
    for (let i = 0; i < set.x.length; i++) {
      const output = this.model.forward(set.x[i])[0];
      total += this.pointLoss(output, set.y[i]).data;
      // Class 1 is the target +1 (squared error) or the label 1 (cross-entropy); an output of 0 counts as class 1.
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

/**
 * The first code of the course the trainer runs is the ANN's constructor, lesson 07's. So that a learner who has
 * not got that far is told the first lesson to finish rather than lesson 07, the earlier lessons' pieces are
 * tried first, in lesson order: a starter stub throws its own lesson's error.
 */
function tryEarlierLessons({ engine, nn }: TrainingCourse): void {
  const a = new engine.Value(0.5).mul(2).add(1).sub(1).div(2).neg().pow(2); // lesson 01
  const out = a.tanh().mul(a); // lesson 02
  out.topoSort(); // lesson 03
  out.backward(); // lesson 04
  new nn.Neuron(2).forward([1, 1]); // lesson 05
  new nn.Layer(2, 2).forward([1, 1]); // lesson 06
}

function makeOptimizer(course: TrainingCourse, model: ANN, { optimizer, lr }: Settings): Updater {
  if (optimizer === "sgd") return { zeroGrad: () => model.zeroGrad(), step: () => model.update(lr) };
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

/**
 * The network as a plain function of a point, read from its current weights: lesson 07's forward (w·x + b per
 * neuron, tanh between layers) in ordinary arithmetic, for the decision boundary's grid. Drawing it with the
 * engine would build a graph of some 640 nodes per grid point, a second or more per picture; the worker checks
 * this function against the engine's own outputs after every epoch.
 */
export function networkFunction(model: ANN): (x: number, y: number) => number {
  const layers = model.layers.map((layer) => layer.neurons.map((n) => ({ w: n.w.map((w) => w.data), b: n.b.data })));
  return (x, y) => {
    let values = [x, y];
    layers.forEach((layer, i) => {
      const inputs = i === 0 ? values : values.map(Math.tanh);
      // Summed in the engine's order (b, then each w·x), so the numbers agree to the last bit.
      values = layer.map(({ w, b }) => w.reduce((sum, wi, j) => sum + wi * inputs[j], b));
    });
    return values[0];
  };
}
