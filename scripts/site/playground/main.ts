/**
 * The playground page: the settings (from the address and the form), the notebook's models as presets, the
 * training worker, and the pictures, redrawn at most once per animation frame from the latest state.
 */
import type * as Study from "@course/study";
import type { HistoryRow } from "@course/train";
import { courseUrl, loadCourseModule, showStubNotice } from "../browser/course";
import { drawChart } from "./charts";
import { BoundaryPicture } from "./picture";
import type { FromWorker, Stop, ToWorker } from "./protocol";
import {
  DEFAULT_SETTINGS,
  presetSettings,
  queryOf,
  type Settings,
  settingsFromQuery,
  withField,
  writeField,
} from "./settings";

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const svg = (id: string) => document.getElementById(id) as unknown as SVGSVGElement;

/** Each setting's form field; a field the page leaves out (a bonus lesson the target lacks) keeps its default. */
const FIELD_IDS: Record<keyof Settings, string> = {
  n: "pg-n",
  noise: "pg-noise",
  seed: "pg-seed",
  hidden: "pg-net",
  lr: "pg-lr",
  batch: "pg-batch",
  loss: "pg-loss",
  optimizer: "pg-optimizer",
  epochs: "pg-epochs",
};

/** What the page can offer instead of a bonus lesson that is not done yet. */
const WAY_ROUND: Record<string, string> = {
  "lesson-11": "Or choose the squared-error loss, which needs only lessons 01 to 08.",
  "lesson-12": "Or set the batch size to 1: lesson 09's per-example SGD.",
  "lesson-13": "Or choose plain SGD: lesson 07's update(lr).",
};

const ui = {
  start: $<HTMLButtonElement>("pg-start"),
  step: $<HTMLButtonElement>("pg-step"),
  reset: $<HTMLButtonElement>("pg-reset"),
  notice: $("pg-notice"),
  problem: $("pg-problem"),
  status: $("pg-status"),
  link: $<HTMLAnchorElement>("pg-link"),
  presets: $("pg-presets"),
  gridWarning: $("pg-grid-warning"),
  history: $("pg-history"),
  stats: {
    epoch: $("pg-epoch"),
    updates: $("pg-updates"),
    trainLoss: $("pg-train-loss"),
    testLoss: $("pg-test-loss"),
    trainAccuracy: $("pg-train-accuracy"),
    testAccuracy: $("pg-test-accuracy"),
    speed: $("pg-speed"),
  },
};

/** What the worker last told us about the current run (`run`); `draw` shows it. */
const view = {
  run: 0,
  picture: undefined as BoundaryPicture | undefined,
  grid: undefined as Float32Array | undefined,
  rows: [] as HistoryRow[],
  tableRows: 0,
  epoch: 0,
  updates: 0,
  epochsPerSecond: null as number | null,
  running: false,
  /** Training cannot go on until a reset (a stub, a divergence, a failure). */
  blocked: false,
  ready: false,
  /** Start training as soon as the network is built (a preset was clicked). */
  autoRun: false,
};

const address = settingsFromQuery(location.search);
let settings = onPage(address.settings);
if (address.ignored.length > 0) {
  showProblem(`Part of the address was not understood, so the default is used: ${address.ignored.join("; ")}.`);
}
fillForm();

const worker = new Worker(new URL("./worker.mjs", import.meta.url), { type: "module" });
worker.onmessage = ({ data }: MessageEvent<FromWorker>) => receive(data);
worker.onerror = (event) => {
  say(`The training worker failed to start: ${event.message || "see the browser's console"}.`);
};
restart();
addPresets();

ui.start.addEventListener("click", () => {
  send({ kind: view.running ? "pause" : "run" });
  say(view.running ? `Paused at epoch ${view.epoch}.` : "Training…");
});
ui.step.addEventListener("click", () => send({ kind: "step" }));
ui.reset.addEventListener("click", () => restart());
for (const [name, id] of Object.entries(FIELD_IDS) as [keyof Settings, string][]) {
  const field = document.getElementById(id) as HTMLInputElement | HTMLSelectElement | null;
  field?.addEventListener("change", () => applyField(name, field));
}
// Enter in a field submits the form: apply the field instead of reloading the page.
$("pg-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const entry = Object.entries(FIELD_IDS).find(([, id]) => id === document.activeElement?.id);
  if (entry) applyField(entry[0] as keyof Settings, document.activeElement as HTMLInputElement);
});

/** Reads a changed field: a problem is shown beside the form; new settings restart the run (the epochs do not). */
function applyField(name: keyof Settings, field: HTMLInputElement | HTMLSelectElement): void {
  const read = withField(settings, name, field.value);
  if ("problem" in read) {
    field.setAttribute("aria-invalid", "true");
    showProblem(`${capitalize(read.problem)}.`);
    return;
  }
  field.removeAttribute("aria-invalid");
  ui.problem.hidden = true;
  if (queryOf(read.settings) === queryOf(settings)) return;
  settings = read.settings;
  fillForm();
  if (name === "epochs") {
    send({ kind: "epochs", epochs: settings.epochs });
    draw();
  } else restart();
}

/** Settings the page can run: the fields it leaves out keep their defaults. */
function onPage(wanted: Settings): Settings {
  const kept = { ...wanted };
  for (const [name, id] of Object.entries(FIELD_IDS) as [keyof Settings, string][]) {
    if (!document.getElementById(id)) Object.assign(kept, { [name]: DEFAULT_SETTINGS[name] });
  }
  return kept;
}

function fillForm(): void {
  for (const [name, id] of Object.entries(FIELD_IDS) as [keyof Settings, string][]) {
    const field = document.getElementById(id) as HTMLInputElement | null;
    if (field) field.value = writeField(settings, name);
  }
  const batch = document.getElementById(FIELD_IDS.batch) as HTMLInputElement | null;
  if (batch) batch.max = String(settings.n);
  const query = `?${queryOf(settings)}`;
  ui.link.href = query;
  history.replaceState(null, "", query);
  for (const button of ui.presets.querySelectorAll<HTMLButtonElement>("button")) {
    button.setAttribute("aria-pressed", String(button.dataset.query === queryOf(settings)));
  }
}

/** A fresh network and data set from the current settings; `autoRun` starts training once they are built. */
function restart(autoRun = false): void {
  Object.assign(view, { grid: undefined, rows: [], tableRows: 0, epoch: 0, updates: 0, epochsPerSecond: null });
  Object.assign(view, { running: false, blocked: false, ready: false, autoRun, run: view.run + 1 });
  ui.history.replaceChildren();
  ui.notice.hidden = true;
  say("Building the data and the network…");
  send({ kind: "reset", settings, course: courseUrl(), run: view.run });
  if (autoRun) send({ kind: "run" });
  draw();
}

function send(message: ToWorker): void {
  worker.postMessage(message);
}

function receive(message: FromWorker): void {
  if (message.run !== view.run) return;
  if (message.kind === "data") {
    view.picture = new BoundaryPicture(svg("pg-boundary"), message.area, message.train, message.test);
    view.ready = true;
    const what =
      `${message.train.x.length} training and ${message.test.x.length} test points, a ` +
      `${writeField(settings, "hidden")} network with ${message.parameters} parameters`;
    say(view.autoRun ? `Training: ${what}.` : `Ready: ${what}. Press Start.`);
  } else if (message.kind === "progress") {
    view.rows.push(...message.rows);
    if (message.grid) view.grid = message.grid;
    Object.assign(view, {
      epoch: message.epoch,
      updates: message.updates,
      epochsPerSecond: message.epochsPerSecond,
      running: message.running,
    });
    ui.gridWarning.hidden = message.gridMatchesEngine;
  } else {
    stopped(message.stop);
  }
  scheduleDraw();
}

function stopped(stop: Stop): void {
  view.running = false;
  if (stop.kind === "finished") {
    say(`Finished ${view.epoch} epochs. Raise "Stop after" to train on, or Reset to start again.`);
    return;
  }
  view.blocked = true;
  if (stop.kind === "stub") {
    showStubNotice(ui.notice, stop.lesson, stop.message, WAY_ROUND[stop.lesson] ?? "");
    say(`Stopped: lesson ${stop.lesson.slice(-2)} is not done yet (see the note above).`);
  } else if (stop.kind === "diverged") {
    say(
      `Diverged after ${view.updates} updates (${stop.message.replace(/\.$/, "")}). ` +
        "Try a smaller learning rate, then Reset.",
    );
  } else {
    say(`Training stopped: ${stop.message}`);
  }
}

let drawQueued = false;
function scheduleDraw(): void {
  if (drawQueued) return;
  drawQueued = true;
  requestAnimationFrame(() => {
    drawQueued = false;
    draw();
  });
}

function draw(): void {
  const canTrain = view.ready && !view.blocked;
  ui.start.textContent = view.running ? "Pause" : "Start";
  ui.start.disabled = !canTrain || (!view.running && view.epoch >= settings.epochs);
  ui.step.disabled = !canTrain || view.running;
  ui.reset.disabled = false;

  const last = view.rows.at(-1);
  const percent = (x: number) => `${(100 * x).toFixed(1)} %`;
  ui.stats.epoch.textContent = String(view.epoch);
  ui.stats.updates.textContent = String(view.updates);
  ui.stats.trainLoss.textContent = last ? last.trainLoss.toFixed(4) : "–";
  ui.stats.testLoss.textContent = last ? last.testLoss.toFixed(4) : "–";
  ui.stats.trainAccuracy.textContent = last ? percent(last.trainAccuracy) : "–";
  ui.stats.testAccuracy.textContent = last ? percent(last.testAccuracy) : "–";
  ui.stats.speed.textContent = view.epochsPerSecond === null ? "–" : `${view.epochsPerSecond.toFixed(1)} epochs/s`;

  if (view.picture && view.grid) view.picture.paint(view.grid, settings.loss);
  const losses = view.rows.flatMap((row) => [row.trainLoss, row.testLoss]);
  drawChart(
    svg("pg-loss-chart"),
    [
      { kind: "train", values: view.rows.map((row) => row.trainLoss) },
      { kind: "test", values: view.rows.map((row) => row.testLoss) },
    ],
    niceCeiling(Math.max(0, ...losses)),
    (y) => y.toPrecision(2),
  );
  drawChart(
    svg("pg-accuracy-chart"),
    [
      { kind: "train", values: view.rows.map((row) => row.trainAccuracy) },
      { kind: "test", values: view.rows.map((row) => row.testAccuracy) },
    ],
    1,
    (y) => `${Math.round(100 * y)} %`,
  );
  for (; view.tableRows < view.rows.length; view.tableRows++) {
    const row = view.rows[view.tableRows];
    const tr = document.createElement("tr");
    for (const text of [
      String(row.epoch),
      row.trainLoss.toFixed(4),
      row.testLoss.toFixed(4),
      percent(row.trainAccuracy),
      percent(row.testAccuracy),
    ]) {
      const td = document.createElement("td");
      td.textContent = text;
      tr.append(td);
    }
    ui.history.append(tr);
  }
}

/** The notebook's five models, from the target's study.ts: one button each, which loads the model and trains it. */
async function addPresets(): Promise<void> {
  try {
    const study = await loadCourseModule<typeof Study>("study");
    for (const model of study.MODELS) {
      const preset = presetSettings(study.layerSizes(model, study.STUDY_CONFIG), model.lr, study.STUDY_CONFIG);
      const button = document.createElement("button");
      button.type = "button";
      button.dataset.query = queryOf(preset);
      const layers = model.hiddenLayers === 1 ? "1 hidden layer" : `${model.hiddenLayers} hidden layers`;
      button.textContent = `${model.name}: ${layers} of ${study.STUDY_CONFIG.hidden}, lr ${model.lr}`;
      button.addEventListener("click", () => {
        settings = onPage(preset);
        fillForm();
        restart(true);
      });
      ui.presets.append(button);
    }
    fillForm();
  } catch (error) {
    ui.presets.textContent = `The notebook's models could not be loaded from study.ts: ${String(error)}`;
  }
}

/** A round number at or above `x` (1, 1.5, 2, 3, 4, 5, 6 or 8 times a power of ten): the top of the loss axis. */
function niceCeiling(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) return 1;
  const power = 10 ** Math.floor(Math.log10(x));
  return ([1, 1.5, 2, 3, 4, 5, 6, 8, 10].find((step) => step * power >= x) ?? 10) * power;
}

function say(text: string): void {
  ui.status.textContent = text;
}

function showProblem(text: string): void {
  ui.problem.textContent = text;
  ui.problem.hidden = false;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
