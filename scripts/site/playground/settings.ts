/**
 * The playground's settings, and how they live in the address: `?n=200&noise=0.2&seed=1&net=2-16-16-1&lr=0.02
 * &batch=1&loss=mse&opt=sgd&epochs=100`. Sharing the address shares the run: the data, the starting weights
 * and the order of the updates all follow from these values.
 */

export type LossName = "mse" | "bce";
export type OptimizerName = "sgd" | "momentum" | "rmsprop" | "adam";

export interface Settings {
  /** Points in the two moons, training and test together. */
  n: number;
  noise: number;
  /** Picks the moons, the train/test split and the initial weights, as in `npm run experiments`. */
  seed: number;
  /** Neurons per hidden layer; the network is 2-…-1. */
  hidden: number[];
  lr: number;
  batch: number;
  loss: LossName;
  optimizer: OptimizerName;
  /** Training stops after this many epochs. */
  epochs: number;
}

export const DEFAULT_SETTINGS: Settings = {
  n: 200,
  noise: 0.2,
  seed: 1,
  hidden: [16, 16],
  lr: 0.02,
  batch: 1,
  loss: "mse",
  optimizer: "sgd",
  epochs: 100,
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

export const LIMITS = {
  n: { min: 4, max: 1000 },
  noise: { min: 0, max: 1 },
  hiddenLayers: 4,
  width: { min: 1, max: 64 },
  lr: { min: 0, max: 10 },
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

const oneOf =
  <T extends string>(what: string, names: Record<T, string>) =>
  (text: string): T | { problem: string } =>
    Object.hasOwn(names, text) ? (text as T) : { problem: `${what} must be one of ${Object.keys(names).join(", ")}` };

export const FIELDS: { [K in keyof Settings]: Field<K> } = {
  n: { key: "n", read: wholeNumber("the number of points", LIMITS.n.min, LIMITS.n.max), write: String },
  noise: {
    key: "noise",
    read: (text) => {
      const value = Number(text);
      return text.trim() !== "" && value >= LIMITS.noise.min && value <= LIMITS.noise.max
        ? value
        : { problem: `the noise must be a number from ${LIMITS.noise.min} to ${LIMITS.noise.max}` };
    },
    write: String,
  },
  seed: { key: "seed", read: wholeNumber("the seed", 0, 2 ** 31 - 1), write: String },
  hidden: {
    key: "net",
    read: (text) => {
      const sizes = text.split(/\s*[-,x ]\s*/).filter((part) => part !== "");
      const widths = sizes.slice(1, -1).map(Number);
      const fits =
        sizes.length >= 2 &&
        sizes[0] === "2" &&
        sizes[sizes.length - 1] === "1" &&
        widths.length <= LIMITS.hiddenLayers &&
        widths.every((w) => Number.isInteger(w) && w >= LIMITS.width.min && w <= LIMITS.width.max);
      return fits
        ? widths
        : {
            problem: `the network must read like 2-16-16-1: 2 inputs, up to ${LIMITS.hiddenLayers} hidden layers of ${LIMITS.width.min} to ${LIMITS.width.max} neurons, 1 output`,
          };
    },
    write: (hidden) => [2, ...hidden, 1].join("-"),
  },
  lr: {
    key: "lr",
    read: (text) => {
      const value = Number(text);
      return text.trim() !== "" && value > LIMITS.lr.min && value <= LIMITS.lr.max
        ? value
        : { problem: `the learning rate must be a number above ${LIMITS.lr.min}, at most ${LIMITS.lr.max}` };
    },
    write: String,
  },
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
};

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

/** The query that gives back `settings`, every field written (so a shared link means the same tomorrow). */
export function queryOf(settings: Settings): string {
  return (Object.keys(FIELDS) as (keyof Settings)[])
    .map((name) => `${FIELDS[name].key}=${encodeURIComponent(writeField(settings, name))}`)
    .join("&");
}

/** One setting as the text of its form field. */
export function writeField<K extends keyof Settings>(settings: Settings, name: K): string {
  return FIELDS[name].write(settings[name]);
}

/**
 * The settings that train one of the notebook's models as `npm run experiments` does, on its first seed:
 * `layerSizes` and `lr` from study.ts's MODELS and layerSizes(), the data and epochs from its STUDY_CONFIG.
 */
export function presetSettings(
  layerSizes: number[],
  lr: number,
  config: { n: number; noise: number; epochs: number; seeds: number[] },
): Settings {
  return {
    n: config.n,
    noise: config.noise,
    seed: config.seeds[0],
    hidden: layerSizes.slice(0, -1),
    lr,
    batch: 1,
    loss: "mse",
    optimizer: "sgd",
    epochs: config.epochs,
  };
}
