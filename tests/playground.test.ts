/**
 * The training playground's logic, without a browser (scripts/site/playground/): the settings and the address
 * that holds them, the notebook's models as presets, the training loop on the reference code, the boundary grid.
 */
import { describe, expect, test } from "vitest";
import { CLASS_COLOURS, POINT_OUTLINE, rgbOf } from "../scripts/lib/class-colours";
import {
  boundaryDomain,
  boundaryGrid,
  cellColour,
  confidence,
  tileGrid,
  unitGrids,
} from "../scripts/site/playground/boundary";
import { makeData } from "../scripts/site/playground/datasets";
import {
  DEFAULT_SETTINGS,
  liveAt,
  presetSettings,
  queryOf,
  type Settings,
  settingsFromQuery,
  startingOver,
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
  test("an empty address gives the defaults: 200 moons, a 2-16-16-1 tanh network, per-example SGD", () => {
    expect(settingsFromQuery("")).toEqual({ settings: DEFAULT_SETTINGS, ignored: [] });
    expect(queryOf(DEFAULT_SETTINGS)).toBe(
      "data=moons&n=200&noise=0.2&test=0.25&seed=1&net=2-16-16-1&act=tanh&lr=0.02&reg=none&rate=0&batch=1&loss=mse&opt=sgd&epochs=100",
    );
  });

  test("every setting comes back from the address it writes, the changes made while training too", () => {
    const settings: Settings = {
      data: "spiral",
      n: 120,
      noise: 0.35,
      test: 0.4,
      seed: 7,
      hidden: [],
      activation: "relu",
      lr: 0.000001,
      regularization: "l2",
      rate: 0.003,
      batch: 16,
      loss: "bce",
      optimizer: "adam",
      epochs: 40,
      changes: [
        { field: "lr", value: 0.01, update: 120 },
        { field: "reg", value: "l1", update: 120 },
        { field: "rate", value: 0.1, update: 300 },
      ],
    };
    expect(queryOf(settings)).toContain("net=2-1&act=relu&lr=0.000001&reg=l2&rate=0.003");
    expect(queryOf(settings)).toContain("&changes=lr:0.01@120,reg:l1@120,rate:0.1@300");
    expect(settingsFromQuery(`?${queryOf(settings)}`)).toEqual({ settings, ignored: [] });
  });

  test("keeps the default for what it cannot read, and says why", () => {
    const { settings, ignored } = settingsFromQuery(
      "?n=3&lr=fast&net=3-4-1&opt=lbfgs&seed=1.5&noise=0.1&data=rings&test=0.95&rate=-1&changes=lr:0.1@5,lr:0.2@3",
    );
    expect(settings).toEqual({ ...DEFAULT_SETTINGS, noise: 0.1 });
    expect(ignored).toEqual([
      "data=rings: the data set must be one of moons, circle, xor, gauss, spiral",
      "n=3: the number of points must be a whole number from 4 to 1000",
      "test=0.95: the test share must be a number from 0.1 to 0.9",
      "seed=1.5: the seed must be a whole number from 0 to 2147483647",
      "net=3-4-1: the network must read like 2-16-16-1: 2 inputs, up to 4 hidden layers of 1 to 64 neurons, 1 output",
      "lr=fast: the learning rate must be a number above 0, at most 10",
      "rate=-1: the regularization rate must be a number from 0 to 10",
      "opt=lbfgs: the optimizer must be one of sgd, momentum, rmsprop, adam",
      "changes=lr:0.1@5,lr:0.2@3: the changes must read like lr:0.01@1200,rate:0.001@3000, in the order of their updates",
    ]);
  });

  test("reads a network written with dashes, commas or spaces, and refuses a layer missing or too wide", () => {
    const net = (text: string) => withField(DEFAULT_SETTINGS, "hidden", text);
    expect(net("2-8-8-1")).toEqual({ settings: { ...DEFAULT_SETTINGS, hidden: [8, 8] } });
    expect(net(" 2, 32 ,1 ")).toEqual({ settings: { ...DEFAULT_SETTINGS, hidden: [32] } });
    expect(net("2 1")).toEqual({ settings: { ...DEFAULT_SETTINGS, hidden: [] } });
    expect(net("2-65-1")).toHaveProperty("problem");
    expect(net("2-0-1")).toHaveProperty("problem");
    expect(net("2-8.5-1")).toHaveProperty("problem");
    expect(net("2--1")).toEqual({
      problem:
        "the network must read like 2-16-16-1: 2 inputs, up to 4 hidden layers of 1 to 64 neurons, 1 output; a layer between two dashes is missing",
    });
  });

  test("the live settings in force after some updates, and a new run that starts from them", () => {
    const settings: Settings = {
      ...DEFAULT_SETTINGS,
      changes: [
        { field: "lr", value: 0.1, update: 10 },
        { field: "reg", value: "l2", update: 20 },
        { field: "rate", value: 0.01, update: 20 },
      ],
    };
    expect(liveAt(settings, 9)).toEqual({ lr: 0.02, regularization: "none", rate: 0 });
    expect(liveAt(settings, 10)).toEqual({ lr: 0.1, regularization: "none", rate: 0 });
    expect(liveAt(settings, 25)).toEqual({ lr: 0.1, regularization: "l2", rate: 0.01 });
    expect(startingOver(settings)).toEqual({
      ...DEFAULT_SETTINGS,
      lr: 0.1,
      regularization: "l2",
      rate: 0.01,
      changes: [],
    });
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
    data: "moons",
    n: 200,
    noise: 0.2,
    test: 0.25,
    seed: 1,
    activation: "tanh",
    regularization: "none",
    batch: 1,
    loss: "mse",
    optimizer: "sgd",
    epochs: 50,
  });
});

describe("Trainer", () => {
  /** Trains for `epochs` epochs, returning the untrained row and one per epoch. */
  const history = (settings: Settings, epochs = settings.epochs) => {
    const trainer = new Trainer(course, settings);
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
    const trainer = new Trainer(core, { ...small, batch: 4 });
    expect(() => trainer.update()).toThrow("These settings need the course's batches.ts");
    expect(() => new Trainer(core, { ...small, optimizer: "adam" })).toThrow("optim.ts");
    expect(() => new Trainer(core, { ...small, regularization: "decay" })).toThrow("optim.ts");
  });
});

describe("the decision boundary", () => {
  test("networkFunction computes the engine's forward pass exactly, from the weights", () => {
    const model = new nn.ANN(2, [5, 3, 1], { rng: new random.Random(3) });
    const f = networkFunction(model, "tanh");
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

  test("colours by confidence: a tint of the class colour where the network is sure, white where it is not", () => {
    expect(confidence(3, "mse")).toBe(1);
    expect(confidence(-0.5, "mse")).toBe(-0.5);
    expect(confidence(0, "bce")).toBe(0);
    expect(cellColour(0)).toEqual([255, 255, 255]);
    expect(cellColour(1)).toEqual([122, 154, 203]);
    expect(cellColour(-1)).toEqual([250, 196, 133]);
  });

  test("every point stands out on every cell: its fill or its outline at 3:1 or more (WCAG's non-text contrast)", () => {
    const luminance = (rgb: readonly number[]) =>
      rgb
        .map((c) => c / 255)
        .map((x) => (x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4))
        .reduce((sum, x, i) => sum + x * [0.2126, 0.7152, 0.0722][i], 0);
    const contrast = (a: readonly number[], b: readonly number[]) => {
      const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
      return (light + 0.05) / (dark + 0.05);
    };
    const points = [CLASS_COLOURS.positive.point, CLASS_COLOURS.negative.point].map(rgbOf);
    expect(contrast(points[0], points[1]), "the two classes' colours").toBeGreaterThanOrEqual(3);
    for (let k = -20; k <= 20; k++) {
      const cell = cellColour(k / 20);
      for (const point of points) {
        const best = Math.max(contrast(point, cell), contrast(rgbOf(POINT_OUTLINE), cell));
        expect(best, `a point on the cell of confidence ${k / 20}`).toBeGreaterThanOrEqual(3);
      }
    }
  });
});

describe("the data sets", () => {
  const noiseless = (name: Settings["data"], n = 200) => makeData(course, name, n, 0, 3);

  test("each gives n points with labels 0 and 1, half and half, the same for the same seed", () => {
    for (const name of ["moons", "circle", "xor", "gauss", "spiral"] as const) {
      const set = makeData(course, name, 101, 0.1, 7);
      expect(set.x, name).toHaveLength(101);
      expect(
        set.x.every((p) => p.length === 2 && p.every(Number.isFinite)),
        name,
      ).toBe(true);
      const ones = set.y.filter((y) => y === 1).length;
      expect(
        set.y.every((y) => y === 0 || y === 1),
        name,
      ).toBe(true);
      if (name !== "xor") expect(Math.abs(ones - 50.5), `${name}: half of each`).toBeLessThanOrEqual(1);
      expect(makeData(course, name, 101, 0.1, 7), `${name}: seeded`).toEqual(set);
      expect(makeData(course, name, 101, 0.1, 8), `${name}: another seed`).not.toEqual(set);
    }
  });

  test("the moons are lesson 09's, point for point", () => {
    expect(makeData(course, "moons", 50, 0.2, 4)).toEqual(data.makeMoons(50, { noise: 0.2, seed: 4 }));
  });

  test("without noise: a disc inside a ring, the four quadrants, two clusters, two arms of a spiral", () => {
    const radius = (p: number[]) => Math.hypot(p[0], p[1]);
    const circle = noiseless("circle");
    circle.x.forEach((p, i) => {
      if (circle.y[i] === 1) expect(radius(p)).toBeLessThanOrEqual(0.5);
      else expect(radius(p)).toBeGreaterThanOrEqual(0.7);
    });
    const xor = noiseless("xor");
    expect(xor.y).toEqual(xor.x.map((p) => (p[0] * p[1] > 0 ? 1 : 0)));
    expect(
      xor.x.every((p) => Math.abs(p[0]) >= 0.05 && Math.abs(p[1]) >= 0.05),
      "off the axes",
    ).toBe(true);
    const gauss = noiseless("gauss");
    const mean = (label: number) =>
      gauss.x.filter((_, i) => gauss.y[i] === label).reduce((sum, p) => sum + p[0] + p[1], 0) / 200;
    expect(mean(1)).toBeCloseTo(0.6, 1);
    expect(mean(0)).toBeCloseTo(-0.6, 1);
    const spiral = noiseless("spiral");
    expect(Math.max(...spiral.x.map(radius))).toBeLessThanOrEqual(1);
    // The two arms are each other turned by half a turn: a point of one arm has its mirror image in the other.
    const key = (p: number[]) => `${p[0].toFixed(6)},${p[1].toFixed(6)}`;
    const arm0 = new Set(spiral.x.filter((_, i) => spiral.y[i] === 0).map(key));
    const arm1 = spiral.x.filter((_, i) => spiral.y[i] === 1);
    expect(arm1.every((p) => arm0.has(key([-p[0] + 0, -p[1] + 0])))).toBe(true);
  });
});

describe("the Trainer's activations and regularization", () => {
  const small2: Settings = { ...DEFAULT_SETTINGS, n: 40, hidden: [4, 3], epochs: 2 };
  const train = (settings: Settings, updates: number) => {
    const trainer = new Trainer(course, settings);
    for (let i = 0; i < updates; i++) trainer.update();
    return trainer;
  };

  test("puts the engine's relu, sigmoid or nothing between the layers, and the pictures compute the same", () => {
    for (const activation of ["tanh", "relu", "sigmoid", "linear"] as const) {
      const trainer = train({ ...small2, activation }, 5);
      const [first, second, last] = trainer.model.layers;
      const squash = (v: engine.Value) =>
        activation === "tanh"
          ? v.tanh()
          : activation === "relu"
            ? v.relu()
            : activation === "sigmoid"
              ? v.sigmoid()
              : v;
      const point = [0.4, -0.9];
      const byHand = last.forward(second.forward(first.forward(point).map(squash)).map(squash))[0];
      expect(trainer.forward(point).data, activation).toBe(byHand.data);
      expect(networkFunction(trainer.model, activation)(point[0], point[1]), activation).toBe(byHand.data);
    }
  });

  test("with L1 or L2, adds rate · penalty of the weights (not the biases) to every loss", () => {
    for (const regularization of ["l1", "l2"] as const) {
      const trainer = train({ ...small2, regularization, rate: 0.1 }, 1);
      const byHand = new Trainer(course, small2);
      const penalty = regularization === "l1" ? loss.l1Penalty : loss.l2Penalty;
      byHand.model.zeroGrad();
      loss
        .seLoss(byHand.forward(byHand.train.x[0]), byHand.train.y[0])
        .add(penalty(byHand.model.weights()).mul(0.1))
        .backward();
      byHand.model.update(small2.lr);
      expect(
        trainer.model.parameters().map((p) => p.data),
        regularization,
      ).toEqual(byHand.model.parameters().map((p) => p.data));
    }
  });

  test("weight decay with Adam is lesson 13's AdamW on the weights, number for number", () => {
    const trainer = train({ ...small2, optimizer: "adam", lr: 0.01, regularization: "decay", rate: 0.5 }, 3);
    const byHand = new Trainer(course, small2);
    const adamw = new optim.AdamW(byHand.model.parameters(), {
      lr: 0.01,
      weightDecay: 0.5,
      decay: byHand.model.weights(),
    });
    for (let i = 0; i < 3; i++) {
      adamw.zeroGrad();
      loss.seLoss(byHand.forward(byHand.train.x[i]), byHand.train.y[i]).backward();
      adamw.step();
    }
    expect(trainer.model.parameters().map((p) => p.data)).toEqual(byHand.model.parameters().map((p) => p.data));
  });

  test("a live change of the learning rate takes effect at the next update, and nothing else changes", () => {
    const changed = train(small2, 3);
    changed.setLive("lr", 0.5);
    changed.update();
    const same = new Trainer(course, small2);
    for (let i = 0; i < 3; i++) same.update();
    const before = same.model.parameters().map((p) => p.data);
    same.update();
    // The fourth update at lr 0.5 moves every parameter 25 times as far as at lr 0.02.
    changed.model.parameters().forEach((p, i) => {
      const step = same.model.parameters()[i].data - before[i];
      expect(p.data - before[i]).toBeCloseTo(25 * step, 12);
    });
  });

  test("times an update without changing the network", () => {
    const trainer = new Trainer(course, small2);
    const weights = trainer.model.parameters().map((p) => p.data);
    expect(trainer.timeOneUpdate()).toBeGreaterThan(0);
    expect(trainer.model.parameters().map((p) => p.data)).toEqual(weights);
    expect(trainer.model.parameters().every((p) => p.grad === 0)).toBe(true);
  });
});

test("each hidden unit's tile is its output over a coarser grid of the same rectangle", () => {
  const model = new nn.ANN(2, [3, 2, 1], { rng: new random.Random(2) });
  const area = boundaryDomain([
    [-1, -1],
    [2, 1],
  ]);
  const tiles = tileGrid(area);
  expect(tiles.columns).toBe(16);
  const f = networkFunction(model, "tanh");
  const grids = unitGrids(f, area, tiles, 5);
  expect(grids).toHaveLength(5 * tiles.columns * tiles.rows);
  // The top-left cell's centre, unit 0 of the first hidden layer: tanh of its weighted sum.
  const x = area.xMin + (area.xMax - area.xMin) / tiles.columns / 2;
  const y = area.yMax - (area.yMax - area.yMin) / tiles.rows / 2;
  const [w, b] = [model.layers[0].neurons[0].w.map((v) => v.data), model.layers[0].neurons[0].b.data];
  expect(grids[0]).toBeCloseTo(Math.tanh(b + w[0] * x + w[1] * y), 6);
});
