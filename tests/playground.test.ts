/**
 * The training playground's logic, without a browser (scripts/site/playground/): the settings and the address
 * that holds them, the notebook's models as presets, the training loop on the reference code, the boundary grid.
 */
import { describe, expect, test } from "vitest";
import { boundaryDomain, boundaryGrid, cellColour, confidence } from "../scripts/site/playground/boundary";
import {
  DEFAULT_SETTINGS,
  presetSettings,
  queryOf,
  type Settings,
  settingsFromQuery,
  withField,
} from "../scripts/site/playground/settings";
import { networkFunction, Trainer, type TrainingCourse } from "../scripts/site/playground/trainer";
import * as batches from "../solutions/batches";
import * as data from "../solutions/data";
import * as engine from "../solutions/engine";
import * as loss from "../solutions/loss";
import * as nn from "../solutions/nn";
import * as optim from "../solutions/optim";
import * as random from "../solutions/random";
import { layerSizes, MODELS, runModel, STUDY_CONFIG } from "../solutions/study";

// The reference modules. The type-checker sees @course as src/, whose Random has its own private `state`, so the
// two copies' types differ in name only.
const course = { engine, data, random, nn, loss, batches, optim } as unknown as TrainingCourse;
const small: Settings = { ...DEFAULT_SETTINGS, n: 40, hidden: [4], epochs: 3 };

describe("the settings in the address", () => {
  test("an empty address gives the defaults: 200 points, a 2-16-16-1 network, per-example SGD", () => {
    expect(settingsFromQuery("")).toEqual({ settings: DEFAULT_SETTINGS, ignored: [] });
    expect(queryOf(DEFAULT_SETTINGS)).toBe(
      "n=200&noise=0.2&seed=1&net=2-16-16-1&lr=0.02&batch=1&loss=mse&opt=sgd&epochs=100",
    );
  });

  test("every setting comes back from the address it writes", () => {
    const settings: Settings = {
      n: 120,
      noise: 0.35,
      seed: 7,
      hidden: [],
      lr: 0.000001,
      batch: 16,
      loss: "bce",
      optimizer: "adam",
      epochs: 40,
    };
    expect(queryOf(settings)).toContain("net=2-1&lr=0.000001");
    expect(settingsFromQuery(`?${queryOf(settings)}`)).toEqual({ settings, ignored: [] });
  });

  test("keeps the default for what it cannot read, and says why", () => {
    const { settings, ignored } = settingsFromQuery("?n=3&lr=fast&net=3-4-1&opt=lbfgs&seed=1.5&noise=0.1");
    expect(settings).toEqual({ ...DEFAULT_SETTINGS, noise: 0.1 });
    expect(ignored).toEqual([
      "n=3: the number of points must be a whole number from 4 to 1000",
      "seed=1.5: the seed must be a whole number from 0 to 2147483647",
      "net=3-4-1: the network must read like 2-16-16-1: 2 inputs, up to 4 hidden layers of 1 to 64 neurons, 1 output",
      "lr=fast: the learning rate must be a number above 0, at most 10",
      "opt=lbfgs: the optimizer must be one of sgd, momentum, rmsprop, adam",
    ]);
  });

  test("reads a network written with dashes, commas or spaces, and refuses one layer too wide", () => {
    const net = (text: string) => withField(DEFAULT_SETTINGS, "hidden", text);
    expect(net("2-8-8-1")).toEqual({ settings: { ...DEFAULT_SETTINGS, hidden: [8, 8] } });
    expect(net(" 2, 32 ,1 ")).toEqual({ settings: { ...DEFAULT_SETTINGS, hidden: [32] } });
    expect(net("2 1")).toEqual({ settings: { ...DEFAULT_SETTINGS, hidden: [] } });
    expect(net("2-65-1")).toHaveProperty("problem");
  });

  test("a batch larger than the data set is refused, and fewer points shrink a batch to the whole set", () => {
    expect(withField(DEFAULT_SETTINGS, "batch", "201")).toEqual({
      problem: "the batch size must be a whole number from 1 to 200",
    });
    const large = { ...DEFAULT_SETTINGS, batch: 150 };
    expect(withField(large, "n", "100")).toEqual({ settings: { ...large, n: 100, batch: 100 } });
  });
});

test("the notebook's models become presets with study.ts's data, layers, learning rate and first seed", () => {
  const presets = MODELS.map((model) => presetSettings(layerSizes(model, STUDY_CONFIG), model.lr, STUDY_CONFIG));
  expect(presets.map((p) => [p.hidden, p.lr])).toEqual([
    [[8], 0.01],
    [[8], 0.1],
    [[8, 8], 0.01],
    [[8, 8], 0.000001],
    [[8, 8], 0.1],
  ]);
  expect(presets[0]).toMatchObject({
    n: 200,
    noise: 0.2,
    seed: 1,
    batch: 1,
    loss: "mse",
    optimizer: "sgd",
    epochs: 50,
  });
});

describe("Trainer", () => {
  /** Trains for `epochs` epochs, returning the untrained row and one per epoch. */
  const history = (settings: Settings, epochs = settings.epochs) => {
    const trainer = new Trainer(course, settings, STUDY_CONFIG.testFraction);
    const rows = [trainer.evaluate()];
    while (trainer.epoch < epochs) if (trainer.update()) rows.push(trainer.evaluate());
    return { trainer, rows };
  };

  test("retraces a notebook model's run of npm run experiments, number for number", () => {
    const model = MODELS[0];
    const config = { ...STUDY_CONFIG, epochs: 2 };
    const { result } = runModel(model, config, config.seeds[0]);
    const { rows, trainer } = history(presetSettings(layerSizes(model, config), model.lr, config));
    expect(rows.slice(1)).toEqual(result.history);
    expect(rows[0]).toMatchObject({
      epoch: 0,
      trainLoss: result.start.train.loss,
      testAccuracy: result.start.test.accuracy,
    });
    expect(trainer.updates).toBe(2 * trainer.train.x.length);
  });

  test("makes one update per batch: batches of 8 from lesson 12 give ceil(30 / 8) = 4 updates an epoch", () => {
    const { trainer } = history({ ...small, batch: 8 }, 1);
    expect(trainer.train.x.length).toBe(30);
    expect(trainer.updates).toBe(4);
  });

  test("learns with cross-entropy on the 0/1 labels, in batches, with Adam", () => {
    const { rows, trainer } = history({
      ...small,
      n: 80,
      loss: "bce",
      optimizer: "adam",
      batch: 10,
      lr: 0.05,
      epochs: 15,
    });
    expect(new Set(trainer.train.y)).toEqual(new Set([0, 1]));
    expect(rows[15].trainLoss).toBeLessThan(rows[0].trainLoss * 0.8);
  });

  test("trains with every optimizer and stops with a RangeError when the loss blows up", () => {
    for (const optimizer of ["momentum", "rmsprop"] as const) {
      const { rows } = history({ ...small, optimizer, lr: 0.01 }, 2);
      expect(rows[2].trainLoss, optimizer).toBeLessThan(rows[0].trainLoss);
    }
    expect(() => history({ ...small, lr: 10, epochs: 50 })).toThrow(RangeError);
  });

  test("needs lesson 12 only for batches of more than one, and lesson 13 only for its optimizers", () => {
    const { batches: _, optim: __, ...core } = course;
    expect(() => history({ ...small, epochs: 1 }, 1)).not.toThrow();
    const trainer = new Trainer(core, { ...small, batch: 4 }, 0.25);
    expect(() => trainer.update()).toThrow("These settings need the course's batches.ts");
    expect(() => new Trainer(core, { ...small, optimizer: "adam" }, 0.25)).toThrow("optim.ts");
  });
});

describe("the decision boundary", () => {
  test("networkFunction computes the engine's forward pass exactly, from the weights", () => {
    const model = new nn.ANN(2, [5, 3, 1], { rng: new random.Random(3) });
    const f = networkFunction(model);
    for (const point of [
      [0.3, -0.7],
      [2, 1],
      [-1.5, 0],
    ]) {
      expect(f(point[0], point[1])).toBe(model.forward(point)[0].data);
    }
  });

  test("the grid covers the points with square cells, values row by row from the top", () => {
    const area = boundaryDomain([
      [-1, -0.5],
      [2, 1],
    ]);
    expect(area.xMin).toBeCloseTo(-1.3, 12);
    expect(area.xMax).toBeCloseTo(2.3, 12);
    expect((area.xMax - area.xMin) / area.columns).toBeCloseTo((area.yMax - area.yMin) / area.rows, 12);
    expect(area.yMin).toBeLessThanOrEqual(-0.8);
    const grid = boundaryGrid((_, y) => y, area);
    expect(grid).toHaveLength(area.columns * area.rows);
    expect(grid[0]).toBeGreaterThan(grid[grid.length - 1]);
  });

  test("colours by confidence: the class colour where the network is sure, white where it is not", () => {
    expect(confidence(3, "mse")).toBe(1);
    expect(confidence(-0.5, "mse")).toBe(-0.5);
    expect(confidence(0, "bce")).toBe(0);
    expect(cellColour(0)).toBe("rgb(255,255,255)");
    expect(cellColour(1)).toBe("rgb(247,169,78)");
    expect(cellColour(-1)).toBe("rgb(57,146,202)");
  });
});
