/**
 * The playground page: the settings (from the address and the form), the notebook's models as presets, the
 * training worker, and the pictures, redrawn at most once per animation frame from the latest state.
 */
import type * as Study from "@course/study";
import type { HistoryRow } from "@course/train";
import { courseUrl, loadCourseModule, showStubNotice } from "../browser/course";
import { drawChart } from "./charts";
import {
  controlOf,
  type FieldName,
  fieldNames,
  fillForm,
  firstProblem,
  isTyped,
  LIVE,
  labelOf,
  onPage,
  readField,
  showProblem,
  sliderText,
} from "./form";
import { NetworkPicture } from "./network";
import { BoundaryPicture } from "./picture";
import type { FromWorker, Pictures, Stop, ToWorker } from "./protocol";
import {
  type Change,
  liveAt,
  presetSettings,
  queryOf,
  type Settings,
  settingsFromQuery,
  startingOver,
  withField,
  writeField,
} from "./settings";

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const svg = (id: string) => document.getElementById(id) as unknown as SVGSVGElement;

/** An epoch that takes longer than this is slow: the page says so before training starts. */
const SLOW_EPOCH_SECONDS = 2;

/** What the page can offer instead of a bonus lesson that is not done yet. */
const WAY_ROUND: Record<string, string> = {
  "lesson-11": "Or choose the squared-error loss and tanh, relu or linear, which need only lessons 01 to 08.",
  "lesson-12": "Or set the batch size to 1: lesson 09's per-example SGD.",
  "lesson-13": "Or choose plain SGD and no regularization: lesson 07's update(lr).",
};

const ui = {
  start: $<HTMLButtonElement>("pg-start"),
  step: $<HTMLButtonElement>("pg-step"),
  reset: $<HTMLButtonElement>("pg-reset"),
  notice: $("pg-notice"),
  problem: $("pg-problem"),
  status: $("pg-status"),
  estimate: $("pg-estimate"),
  link: $<HTMLAnchorElement>("pg-link"),
  presets: $("pg-presets"),
  gridWarning: $("pg-grid-warning"),
  history: $("pg-history"),
  plane: $("pg-plane"),
  network: $("pg-network"),
  epochProgress: $<HTMLProgressElement>("pg-epoch-progress"),
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
  network: undefined as NetworkPicture | undefined,
  pictures: undefined as Pictures | undefined,
  picturesDrawn: true,
  rows: [] as HistoryRow[],
  latest: undefined as (HistoryRow & { updates: number }) | undefined,
  tableRows: 0,
  epoch: 0,
  updates: 0,
  updatesPerEpoch: 1,
  updatesPerSecond: null as number | null,
  running: false,
  /** Pause was pressed: the status says where training stopped once the worker has. */
  pausing: false,
  /** Training cannot go on until a reset (a stub, a divergence, a failure). */
  blocked: false,
  ready: false,
  /** Start training as soon as the network is built (Start was pressed while it was being built). */
  autoRun: false,
  /** What was built, until the first measurement of the untrained network says it is ready. */
  built: "",
};

const address = settingsFromQuery(location.search);
/** The run's settings: what it started with, and `changes`, the live changes made since. */
let settings = onPage(address.settings);
if (address.ignored.length > 0) {
  ui.problem.textContent = `Part of the address was not understood, so the default is used: ${address.ignored.join("; ")}.`;
  ui.problem.hidden = false;
}
showSettings();

const worker = new Worker(new URL("./worker.mjs", import.meta.url), { type: "module" });
worker.onmessage = ({ data }: MessageEvent<FromWorker>) => receive(data);
worker.onerror = (event) => {
  say(`The training worker failed to start: ${event.message || "see the browser's console"}.`);
};
restart();
addPresets();

ui.start.addEventListener("click", start);
ui.step.addEventListener("click", () => {
  if (refuseProblems()) return;
  send({ kind: "step" });
});
ui.reset.addEventListener("click", () => {
  settings = startingOver(settings);
  restart();
});
for (const name of fieldNames()) {
  const control = controlOf(name) as HTMLInputElement | HTMLSelectElement;
  control.addEventListener("change", () => apply(name));
  const output = document.getElementById(`${control.id}-value`);
  if (isTyped(control)) control.addEventListener("input", () => check(name));
  else if (output) {
    control.addEventListener("input", () => {
      output.textContent = sliderText(name, Number(control.value));
    });
  }
}
// Enter in a field submits the form: apply the field instead of reloading the page.
$("pg-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const name = fieldNames().find((n) => controlOf(n) === document.activeElement);
  if (name) apply(name);
});

/** Start (or Pause). Values typed but not applied yet are applied first; one that cannot be used stops it. */
function start(): void {
  if (view.running) {
    view.pausing = true;
    send({ kind: "pause" });
    return;
  }
  if (refuseProblems()) return;
  const typedNow = fieldNames().find((name) => {
    if (!isTyped(controlOf(name) as HTMLInputElement)) return false;
    const read = readField(settings, name);
    return "settings" in read && read.changed;
  });
  if (typedNow) apply(typedNow);
  if (!view.ready) view.autoRun = true;
  send({ kind: "run" });
  say("Training…");
  scheduleDraw();
}

/** Says which typed field holds something it cannot use, and takes the learner there; true if one does. */
function refuseProblems(): boolean {
  const found = firstProblem(settings);
  if (!found) return false;
  showProblem(found.control, found.problem);
  say(`Nothing trains until ${labelOf(found.control)} is fixed: ${found.problem}.`);
  found.control.focus();
  return true;
}

/** While typing: the message below the field says at once what is wrong, or goes away. */
function check(name: FieldName): void {
  const read = readField(settings, name);
  showProblem(controlOf(name) as HTMLInputElement, "problem" in read ? read.problem : undefined);
}

/**
 * Uses a changed field. The learning rate and the regularization change the run from its next update on; the
 * number of epochs only where it stops; anything else starts a new run, training on if the old one was.
 */
function apply(name: FieldName): void {
  const control = controlOf(name) as HTMLInputElement | HTMLSelectElement;
  const read = readField(settings, name);
  if ("problem" in read) {
    showProblem(control, read.problem);
    return;
  }
  showProblem(control, undefined);
  // A run that stopped at a lesson not done yet has no network to change: a live setting starts a new run too.
  const live = view.ready && !view.blocked ? LIVE[name] : undefined;
  const value = read.settings[name];
  if (live && writeField({ ...settings, ...liveNow() }, name) !== writeField(read.settings, name)) {
    send({ kind: "set", field: live, value } as ToWorker);
  } else if (name === "epochs" && read.changed) {
    settings = read.settings;
    send({ kind: "epochs", epochs: settings.epochs });
    showSettings();
    scheduleDraw();
  } else if ((!LIVE[name] || !live) && (read.changed || view.blocked)) {
    // The changes so far become the new run's own settings, then the field's value goes on top of them.
    const fresh = withField(startingOver(settings), name, control.value);
    if ("settings" in fresh) settings = fresh.settings;
    restart(view.running);
  }
}

/** The live settings in force now: the run's own, then its changes so far. */
function liveNow(): Pick<Settings, "lr" | "rate" | "regularization"> {
  return liveAt(settings, Number.POSITIVE_INFINITY);
}

/**
 * Writes the settings into the form and the address. A change made before the first update is the run's own
 * setting, not a change: the address says lr=0.1, not lr=0.02 and a change to 0.1 at update 0.
 */
function showSettings(): void {
  const early = settings.changes.filter((c) => c.update === 0);
  const shown: Settings = {
    ...settings,
    ...liveAt({ ...settings, changes: early }, 0),
    changes: settings.changes.filter((c) => c.update > 0),
  };
  fillForm(shown, liveNow());
  const query = `?${queryOf(shown)}`;
  ui.link.href = query;
  history.replaceState(null, "", query);
  for (const button of ui.presets.querySelectorAll<HTMLButtonElement>("button")) {
    button.setAttribute("aria-pressed", String(button.dataset.query === queryOf(shown)));
  }
}

/** A fresh network and data set from the current settings; `autoRun` starts training once they are built. */
function restart(autoRun = false): void {
  Object.assign(view, { pictures: undefined, rows: [], latest: undefined, tableRows: 0, epoch: 0, updates: 0 });
  Object.assign(view, { updatesPerSecond: null, running: false, pausing: false, blocked: false, ready: false });
  Object.assign(view, { autoRun, run: view.run + 1 });
  ui.history.replaceChildren();
  ui.notice.hidden = true;
  ui.estimate.hidden = true;
  delete ui.plane.dataset.drawnAt;
  say("Building the data and the network…");
  showSettings();
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
    view.picture = new BoundaryPicture(
      $<HTMLCanvasElement>("pg-boundary-cells"),
      svg("pg-boundary"),
      message.area,
      message.train,
      message.test,
    );
    view.network?.dispose();
    view.network = new NetworkPicture(ui.network, {
      sizes: [2, ...settings.hidden, 1],
      area: message.area,
      tiles: message.tiles,
      loss: settings.loss,
    });
    view.ready = true;
    view.updatesPerEpoch = message.updatesPerEpoch;
    describeNetwork(message.parameters);
    estimate(message.secondsPerUpdate, message.updatesPerEpoch, message.parameters);
    view.built =
      `${message.train.x.length} training and ${message.test.x.length} test points, a ` +
      `${writeField(settings, "hidden")} network with ${message.parameters} parameters`;
    say(`Built: ${view.built}. Measuring the untrained network on every point…`);
  } else if (message.kind === "progress") {
    if (view.built && !view.running)
      say(view.autoRun ? `Training: ${view.built}.` : `Ready: ${view.built}. Press Start.`);
    view.built = "";
    progress(message);
  } else {
    stopped(message.stop);
  }
  scheduleDraw();
}

function progress(message: Extract<FromWorker, { kind: "progress" }>): void {
  view.rows.push(...message.rows);
  if (message.latest) view.latest = message.latest;
  if (message.pictures) {
    view.pictures = message.pictures;
    view.picturesDrawn = false;
  }
  Object.assign(view, {
    epoch: message.epoch,
    updates: message.updates,
    updatesPerSecond: message.updatesPerSecond,
    running: message.running,
  });
  ui.gridWarning.hidden = message.gridMatchesEngine;
  if (!sameChanges(message.changes, settings.changes)) {
    settings = { ...settings, changes: message.changes };
    showSettings();
  }
  if (view.pausing && !message.running) {
    view.pausing = false;
    const into = view.updates - view.epoch * view.updatesPerEpoch;
    const where = into > 0 ? `, ${into} of ${view.updatesPerEpoch} updates into the next.` : ".";
    say(`Paused at epoch ${view.epoch}${where}`);
  }
}

function sameChanges(a: Change[], b: Change[]): boolean {
  return a.length === b.length && a.every((c, i) => c.update === b[i].update && c.field === b[i].field);
}

/**
 * Before Start: how long an epoch will take here at best, from the time one update took (without the measuring
 * after each epoch, the pictures, or other programs that want the processor), and a warning when that is long.
 */
function estimate(secondsPerUpdate: number, updatesPerEpoch: number, parameters: number): void {
  const seconds = secondsPerUpdate * updatesPerEpoch;
  const slow = seconds >= SLOW_EPOCH_SECONDS;
  const pace = seconds >= 0.5 ? `${seconds.toFixed(1)} s per epoch` : `${Math.round(1 / seconds)} epochs per second`;
  ui.estimate.textContent = slow
    ? `This will be slow: at least ${seconds.toFixed(0)} s per epoch (${updatesPerEpoch} updates of a network with ` +
      `${parameters} parameters, timed here). Fewer points, fewer or narrower layers, or a larger batch train ` +
      "faster; the Updates tile shows the progress within an epoch."
    : `At best ${pace} here (${updatesPerEpoch} updates each, timed before training).`;
  ui.estimate.classList.toggle("slow", slow);
  ui.estimate.hidden = false;
}

/** The network picture's name for a screen reader: its shape, and what its lines show. */
function describeNetwork(parameters: number): void {
  const lines = Number(ui.network.dataset.lines);
  ui.network.setAttribute(
    "aria-label",
    `The ${writeField(settings, "hidden")} network, ${parameters} parameters: a tile per neuron` +
      (lines > 0 ? `, a line per weight (${lines})` : "; too many weights to draw as lines"),
  );
}

function stopped(stop: Stop): void {
  view.running = false;
  view.pausing = false;
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

const percent = (x: number) => `${(100 * x).toFixed(1)} %`;

function draw(): void {
  const canTrain = !view.blocked;
  ui.start.textContent = view.running ? "Pause" : "Start";
  ui.start.disabled = !canTrain || (!view.running && view.ready && view.epoch >= settings.epochs);
  ui.step.disabled = !canTrain || !view.ready || view.running;
  ui.reset.disabled = false;
  drawStats();
  if (view.pictures && !view.picturesDrawn) {
    view.picture?.paint(view.pictures.output, settings.loss);
    view.network?.paint(view.pictures, view.running);
    view.picturesDrawn = true;
    // For the browser test: which network the pictures show.
    ui.plane.dataset.drawnAt = String(view.updates);
  }
  if (view.tableRows < view.rows.length || view.rows.length === 0) drawCharts();
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

function drawStats(): void {
  const latest = view.latest;
  ui.stats.epoch.textContent = String(view.epoch);
  ui.stats.updates.textContent = String(view.updates);
  ui.epochProgress.max = view.updatesPerEpoch;
  ui.epochProgress.value = view.updates - view.epoch * view.updatesPerEpoch;
  ui.stats.trainLoss.textContent = latest ? latest.trainLoss.toFixed(4) : "–";
  ui.stats.testLoss.textContent = latest ? latest.testLoss.toFixed(4) : "–";
  ui.stats.trainAccuracy.textContent = latest ? percent(latest.trainAccuracy) : "–";
  ui.stats.testAccuracy.textContent = latest ? percent(latest.testAccuracy) : "–";
  const perSecond = view.updatesPerSecond;
  const epochs = perSecond === null ? null : perSecond / view.updatesPerEpoch;
  ui.stats.speed.textContent =
    perSecond === null || epochs === null
      ? "–"
      : epochs >= 1
        ? `${epochs.toFixed(1)} epochs/s`
        : `${perSecond.toFixed(perSecond >= 10 ? 0 : 1)} updates/s`;
  if (latest) {
    ui.plane.setAttribute(
      "aria-label",
      `The network's prediction over the plane after ${latest.updates} updates: ` +
        `${percent(latest.trainAccuracy)} of the training points and ${percent(latest.testAccuracy)} of the test points right`,
    );
  }
}

function drawCharts(): void {
  const losses = view.rows.flatMap((row) => [row.trainLoss, row.testLoss]);
  const last = view.rows.at(-1);
  // Each chart's name says where its lines end, not the caption's words again.
  svg("pg-loss-chart").setAttribute(
    "aria-label",
    last
      ? `Loss after epoch ${last.epoch}: ${last.trainLoss.toFixed(4)} training, ${last.testLoss.toFixed(4)} test`
      : "No epoch yet",
  );
  svg("pg-accuracy-chart").setAttribute(
    "aria-label",
    last
      ? `Accuracy after epoch ${last.epoch}: ${percent(last.trainAccuracy)} training, ${percent(last.testAccuracy)} test`
      : "No epoch yet",
  );
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
}

/** The notebook's five models, from the target's study.ts: one button each, which loads the model and trains it. */
async function addPresets(): Promise<void> {
  try {
    const study = await loadCourseModule<typeof Study>("study");
    for (const model of study.MODELS) {
      const preset = onPage(presetSettings(study.layerSizes(model, study.STUDY_CONFIG), model.lr, study.STUDY_CONFIG));
      const button = document.createElement("button");
      button.type = "button";
      button.dataset.query = queryOf(preset);
      const layers = model.hiddenLayers === 1 ? "1 hidden layer" : `${model.hiddenLayers} hidden layers`;
      button.textContent = `${model.name}: ${layers} of ${study.STUDY_CONFIG.hidden}, lr ${model.lr}`;
      button.addEventListener("click", () => {
        settings = preset;
        restart(true);
      });
      ui.presets.append(button);
    }
    showSettings();
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
