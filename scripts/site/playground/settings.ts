/**
 * The playground's settings, and how they live in the address: `?data=moons&n=200&noise=0.2&test=0.25&seed=1
 * &net=2-16-16-1&act=tanh&lr=0.02&reg=none&rate=0&batch=1&loss=mse&opt=sgd&epochs=100`. Sharing the address
 * shares the run: the data, the starting weights and the order of the updates all follow from these values, and
 * `changes` lists what was changed while it trained (`changes=lr:0.01@1200`: the learning rate became 0.01
 * before update 1 201), so a link reproduces those too.
 */

export type DataName = "moons" | "circle" | "xor" | "gauss" | "spiral";
export type ActivationName = "tanh" | "relu" | "sigmoid" | "linear";
export type RegularizationName = "none" | "l1" | "l2" | "decay";
export type LossName = "mse" | "bce";
export type OptimizerName = "sgd" | "momentum" | "rmsprop" | "adam";

/** A setting changed while training, before the update numbered `update + 1`. */
export type Change = { update: number } & (
  | { field: "lr"; value: number }
  | { field: "rate"; value: number }
  | { field: "reg"; value: RegularizationName }
);
/** The settings that may change while the network trains, without starting over. */
export type LiveField = Change["field"];

export interface Settings {
  data: DataName;
  /** Points, training and test together. */
  n: number;
  noise: number;
  /** The share of the points held out for testing. */
  test: number;
  /** Picks the points, the train/test split and the initial weights, as in `npm run experiments`. */
  seed: number;
  /** Neurons per hidden layer; the network is 2-…-1. */
  hidden: number[];
  /** What follows every hidden layer. */
  activation: ActivationName;
  lr: number;
  regularization: RegularizationName;
  /** The regularization rate λ. */
  rate: number;
  batch: number;
  loss: LossName;
  optimizer: OptimizerName;
  /** Training stops after this many epochs. */
  epochs: number;
  /** The live changes of this run, in the order they were made. */
  changes: Change[];
}

export const DEFAULT_SETTINGS: Settings = {
  data: "moons",
  n: 200,
  noise: 0.2,
  test: 0.25,
  seed: 1,
  hidden: [16, 16],
  activation: "tanh",
  lr: 0.02,
  regularization: "none",
  rate: 0,
  batch: 1,
  loss: "mse",
  optimizer: "sgd",
  epochs: 100,
  changes: [],
};

export const DATA_SETS: Record<DataName, string> = {
  moons: "two moons (lesson 09)",
  circle: "circle: a disc inside a ring",
  xor: "XOR: the four quadrants",
  gauss: "two Gaussian clusters",
  spiral: "two spirals",
};

export const ACTIVATIONS: Record<ActivationName, string> = {
  tanh: "tanh (lessons 02 and 07)",
  relu: "relu (lesson 02)",
  sigmoid: "sigmoid (lesson 11)",
  linear: "linear: none",
};

export const REGULARIZATIONS: Record<RegularizationName, string> = {
  none: "none",
  l1: "L1: rate · Σ |w| in the loss (lesson 13)",
  l2: "L2: rate · ½ Σ w² in the loss (lesson 13)",
  decay: "weight decay, decoupled as in AdamW (lesson 13)",
};

export const LOSSES: Record<LossName, string> = {
  mse: "squared error (lesson 08)",
  bce: "cross-entropy on the logit (lesson 11)",
};

export const OPTIMIZERS: Record<OptimizerName, string> = {
  sgd: "SGD: update(lr) (lesson 07)",
  momentum: "SGD with momentum 0.9 (lesson 13)",
  rmsprop: "RMSprop (lesson 13)",
  adam: "Adam (lesson 13)",
};

/** The learning rates and regularization rates the page offers; an address may hold another valid one. */
export const LEARNING_RATES = [0.000001, 0.00001, 0.0001, 0.001, 0.003, 0.01, 0.02, 0.03, 0.05, 0.1, 0.3, 1, 3, 10];
export const RATES = [0, 0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];

export const LIMITS = {
  n: { min: 4, max: 1000 },
  noise: { min: 0, max: 1 },
  test: { min: 0.1, max: 0.9 },
  seed: { min: 0, max: 2 ** 31 - 1 },
  hiddenLayers: 4,
  width: { min: 1, max: 64 },
  lr: { min: 0, max: 10 },
  rate: { min: 0, max: 10 },
  epochs: { min: 1, max: 5000 },
} as const;

/** Each setting's key in the address, and how it is read from text and written back. */
type Field<K extends keyof Settings> = {
  key: string;
  /** The value, or why the text is not one. */
  read(text: string, settings: Settings): Settings[K] | { problem: string };
  write(value: Settings[K]): string;
};

const wholeNumber =
  (what: string, min: number, max: number) =>
  (text: string): number | { problem: string } => {
    const value = Number(text);
    if (text.trim() === "" || !Number.isInteger(value) || value < min || value > max) {
      return { problem: `${what} must be a whole number from ${min} to ${max}` };
    }
    return value;
  };

/** A number in [min, max] (or (min, max] when `above` says the minimum itself is not allowed). */
const numberIn =
  (what: string, min: number, max: number, above = false) =>
  (text: string): number | { problem: string } => {
    const value = Number(text);
    const fits = text.trim() !== "" && Number.isFinite(value) && (above ? value > min : value >= min) && value <= max;
    return fits
      ? value
      : { problem: `${what} must be a number ${above ? "above" : "from"} ${min}${above ? ", at most" : " to"} ${max}` };
  };

const oneOf =
  <T extends string>(what: string, names: Record<T, string>) =>
  (text: string): T | { problem: string } =>
    Object.hasOwn(names, text) ? (text as T) : { problem: `${what} must be one of ${Object.keys(names).join(", ")}` };

/** "2-16-16-1" (or with commas, x or spaces between): the hidden layers' widths, every one of them written. */
function readNetwork(text: string): number[] | { problem: string } {
  const sizes = text.trim().split(/\s*[-,x]\s*|\s+/);
  const widths = sizes.slice(1, -1);
  const problem = `the network must read like 2-16-16-1: 2 inputs, up to ${LIMITS.hiddenLayers} hidden layers of ${LIMITS.width.min} to ${LIMITS.width.max} neurons, 1 output`;
  if (sizes.includes("")) return { problem: `${problem}; a layer between two dashes is missing` };
  const fits =
    sizes.length >= 2 &&
    sizes[0] === "2" &&
    sizes[sizes.length - 1] === "1" &&
    widths.length <= LIMITS.hiddenLayers &&
    widths.every((w) => /^\d+$/.test(w) && Number(w) >= LIMITS.width.min && Number(w) <= LIMITS.width.max);
  return fits ? widths.map(Number) : { problem };
}

const readLr = numberIn("the learning rate", LIMITS.lr.min, LIMITS.lr.max, true);
const readRate = numberIn("the regularization rate", LIMITS.rate.min, LIMITS.rate.max);
const readRegularization = oneOf("the regularization", REGULARIZATIONS);

export const FIELDS: { [K in keyof Settings]: Field<K> } = {
  data: { key: "data", read: oneOf("the data set", DATA_SETS), write: String },
  n: { key: "n", read: wholeNumber("the number of points", LIMITS.n.min, LIMITS.n.max), write: String },
  noise: { key: "noise", read: numberIn("the noise", LIMITS.noise.min, LIMITS.noise.max), write: String },
  test: { key: "test", read: numberIn("the test share", LIMITS.test.min, LIMITS.test.max), write: String },
  seed: { key: "seed", read: wholeNumber("the seed", LIMITS.seed.min, LIMITS.seed.max), write: String },
  hidden: { key: "net", read: readNetwork, write: (hidden) => [2, ...hidden, 1].join("-") },
  activation: { key: "act", read: oneOf("the activation", ACTIVATIONS), write: String },
  lr: { key: "lr", read: readLr, write: String },
  regularization: { key: "reg", read: readRegularization, write: String },
  rate: { key: "rate", read: readRate, write: String },
  batch: {
    key: "batch",
    read: (text, settings) => wholeNumber("the batch size", 1, settings.n)(text),
    write: String,
  },
  loss: { key: "loss", read: oneOf("the loss", LOSSES), write: String },
  optimizer: { key: "opt", read: oneOf("the optimizer", OPTIMIZERS), write: String },
  epochs: {
    key: "epochs",
    read: wholeNumber("the number of epochs", LIMITS.epochs.min, LIMITS.epochs.max),
    write: String,
  },
  changes: { key: "changes", read: readChanges, write: writeChanges },
};

const LIVE_READERS: Record<LiveField, (text: string) => number | RegularizationName | { problem: string }> = {
  lr: readLr,
  rate: readRate,
  reg: readRegularization,
};

/** `lr:0.01@1200,reg:l2@1200`: each change's field, value and the number of updates made before it. */
function readChanges(text: string): Change[] | { problem: string } {
  const changes: Change[] = [];
  for (const entry of text.split(",").filter((part) => part !== "")) {
    const match = /^(lr|rate|reg):([^@]+)@(\d+)$/.exec(entry);
    const value = match && LIVE_READERS[match[1] as LiveField](match[2]);
    const update = Number(match?.[3]);
    if (!match || typeof value === "object" || update < (changes.at(-1)?.update ?? 0)) {
      return { problem: `the changes must read like lr:0.01@1200,rate:0.001@3000, in the order of their updates` };
    }
    changes.push({ field: match[1], value, update } as Change);
  }
  return changes;
}

function writeChanges(changes: Change[]): string {
  return changes.map((c) => `${c.field}:${c.value}@${c.update}`).join(",");
}

/** Reads one setting from text (a form field, the address); returns the new settings or what is wrong. */
export function withField<K extends keyof Settings>(
  settings: Settings,
  name: K,
  text: string,
): { settings: Settings } | { problem: string } {
  const value = FIELDS[name].read(text.trim(), settings);
  if (typeof value === "object" && value !== null && "problem" in value) return { problem: value.problem };
  const next = { ...settings, [name]: value };
  // Fewer points can leave the batch larger than the data set: cap it, as "the whole set".
  return { settings: { ...next, batch: Math.min(next.batch, next.n) } };
}

/** The settings in an address's query; anything unreadable keeps its default and is reported. */
export function settingsFromQuery(query: string): { settings: Settings; ignored: string[] } {
  const params = new URLSearchParams(query);
  let settings = DEFAULT_SETTINGS;
  const ignored: string[] = [];
  // n before batch: the batch size is checked against the number of points.
  for (const name of Object.keys(FIELDS) as (keyof Settings)[]) {
    const text = params.get(FIELDS[name].key);
    if (text === null) continue;
    const read = withField(settings, name, text);
    if ("problem" in read) ignored.push(`${FIELDS[name].key}=${text}: ${read.problem}`);
    else settings = read.settings;
  }
  return { settings, ignored };
}

/**
 * The query that gives back `settings`, every field written (so a shared link means the same tomorrow); the
 * list of changes only when there are some.
 */
export function queryOf(settings: Settings): string {
  return (Object.keys(FIELDS) as (keyof Settings)[])
    .filter((name) => name !== "changes" || settings.changes.length > 0)
    .map((name) => `${FIELDS[name].key}=${encodeQueryValue(writeField(settings, name))}`)
    .join("&");
}

/** Like encodeURIComponent, but keeps the `:`, `@` and `,` of the changes readable (a query allows them). */
function encodeQueryValue(text: string): string {
  return encodeURIComponent(text).replace(/%3A/g, ":").replace(/%40/g, "@").replace(/%2C/g, ",");
}

/** One setting as the text of its form field. */
export function writeField<K extends keyof Settings>(settings: Settings, name: K): string {
  return FIELDS[name].write(settings[name]);
}

/** The live settings in force after `updates` updates: the run's own, then each change made by then. */
export function liveAt(settings: Settings, updates: number): Pick<Settings, "lr" | "rate" | "regularization"> {
  const live = { lr: settings.lr, rate: settings.rate, regularization: settings.regularization };
  for (const change of settings.changes) {
    if (change.update > updates) break;
    if (change.field === "reg") live.regularization = change.value;
    else live[change.field] = change.value;
  }
  return live;
}

/** The settings of a new run that starts where this one now stands: its changes become its own values. */
export function startingOver(settings: Settings): Settings {
  return { ...settings, ...liveAt(settings, Number.POSITIVE_INFINITY), changes: [] };
}

/**
 * The settings that train one of the notebook's models as `npm run experiments` does, on its first seed:
 * `layerSizes` and `lr` from study.ts's MODELS and layerSizes(), the data and epochs from its STUDY_CONFIG.
 */
export function presetSettings(
  layerSizes: number[],
  lr: number,
  config: { n: number; noise: number; testFraction: number; epochs: number; seeds: number[] },
): Settings {
  return {
    ...DEFAULT_SETTINGS,
    n: config.n,
    noise: config.noise,
    test: config.testFraction,
    seed: config.seeds[0],
    hidden: layerSizes.slice(0, -1),
    lr,
    epochs: config.epochs,
  };
}
