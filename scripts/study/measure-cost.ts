/**
 * Lesson 12's cost of one update, measured with the code of a target (solutions/ or the learner's src/): for
 * batches of 1 to 128 examples, the nodes of the batch's graph (counted by topoSort: the same on every machine),
 * and the time and memory of one update (this machine's, at the moment of measuring).
 */
import os from "node:os";
import type * as Batches from "../../solutions/batches";
import type * as Data from "../../solutions/data";
import type * as Nn from "../../solutions/nn";
import type * as RandomModule from "../../solutions/random";

export interface CostModules {
  batches: typeof Batches;
  data: typeof Data;
  nn: typeof Nn;
  random: typeof RandomModule;
}

export const BATCH_SIZES = [1, 2, 4, 8, 16, 32, 64, 128];
/** The network and the data every size is measured on: lesson 13's network on lesson 10's first seed. */
export const COST_NETWORK = [2, 8, 8, 1];

export interface CostRow {
  batchSize: number;
  /** Nodes in the graph of the batch's loss, from topoSort. */
  nodes: number;
  /** The median time of one update (zeroGrad, forward, loss, backward, step), in milliseconds. */
  msPerUpdate: number;
  /** The median growth of the heap while one batch's graph is built, in megabytes. */
  mbPerUpdate: number;
}

export interface CostMeasurement {
  /** "2-8-8-1" */
  network: string;
  rows: CostRow[];
  /** Where the times and memory were measured: processor, cores, Node version, load average. */
  machine: string;
}

function setup(modules: CostModules) {
  const moons = modules.data.makeMoons(Math.max(...BATCH_SIZES), { noise: 0.2, seed: 1 });
  const data = { x: moons.x, y: modules.data.toSigned(moons.y) };
  const model = new modules.nn.ANN(COST_NETWORK[0], COST_NETWORK.slice(1), { rng: new modules.random.Random(1) });
  const first = (b: number) => Array.from({ length: b }, (_, i) => i);
  return { data, model, first };
}

/** The node count of each batch size's graph: exact, and what the check compares with the committed figures. */
export function graphSizes(modules: CostModules): { batchSize: number; nodes: number }[] {
  const { data, model, first } = setup(modules);
  return BATCH_SIZES.map((b) => ({
    batchSize: b,
    nodes: modules.batches.batchLoss(model, data, first(b)).topoSort().length,
  }));
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

/**
 * Times one update per batch size (after a warm-up, so the JIT has compiled the engine), and measures the heap
 * a batch's graph takes. With `node --expose-gc` (what `npm run measure` uses) the heap is collected first.
 */
export function measureCost(modules: CostModules): CostMeasurement {
  const { data, model, first } = setup(modules);
  const optimizer = modules.batches.plainSgd(model, 0.001);
  const gc = (globalThis as { gc?: () => void }).gc;
  for (const b of BATCH_SIZES) for (let i = 0; i < 20; i++) modules.batches.batchStep(model, data, first(b), optimizer);
  const sizes = new Map(graphSizes(modules).map((row) => [row.batchSize, row.nodes]));
  const rows = BATCH_SIZES.map((b) => {
    // Each sample times enough updates to cover 128 examples, on a freshly collected heap: small batches are then
    // not lost in the timer's resolution, and no sample pays for the garbage of another.
    const updates = Math.ceil(128 / b);
    const times = Array.from({ length: 15 }, () => {
      gc?.();
      const start = performance.now();
      for (let i = 0; i < updates; i++) modules.batches.batchStep(model, data, first(b), optimizer);
      return (performance.now() - start) / updates;
    });
    // The graphs stay referenced until every heap was read, so no collection can shrink what is measured.
    const graphs: unknown[] = [];
    const heaps = Array.from({ length: 5 }, () => {
      gc?.();
      const before = process.memoryUsage().heapUsed;
      graphs.push(modules.batches.batchLoss(model, data, first(b)));
      return process.memoryUsage().heapUsed - before;
    });
    graphs.length = 0;
    return { batchSize: b, nodes: sizes.get(b) ?? 0, msPerUpdate: median(times), mbPerUpdate: median(heaps) / 2 ** 20 };
  });
  const cpus = os.cpus();
  const machine =
    `${cpus[0]?.model.trim() ?? "an unknown processor"}, ${cpus.length} cores, Node ${process.version}, ` +
    `load average ${os.loadavg()[0].toFixed(1)}${gc ? "" : ", without --expose-gc (the heap was not collected first)"}`;
  return { network: COST_NETWORK.join("-"), rows, machine };
}
