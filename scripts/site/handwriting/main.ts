/**
 * The handwriting page: strokes drawn with the mouse, a finger or a pen (Pointer Events) on a canvas; after each
 * change, at most once per animation frame, the drawing made into an MNIST digit (preprocess.ts), read by the network
 * that the site's build trained with the course's code (model.json, written by model.ts), with the course's own
 * `forward` and `softmax`.
 */
import type * as Softmax from "@course/softmax";
import type * as TensorModule from "@course/tensor";
import type * as TensorNn from "@course/tensor-nn";
import { loadCourseModule, showStubNotice, stubLesson } from "../browser/course";
import { type HandwritingModel, modelWeights } from "./model-file";
import { SIDE, toMnistDigit } from "./preprocess";

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const canvas = $<HTMLCanvasElement>("hw-canvas");
const preview = $<HTMLCanvasElement>("hw-preview");
const status = $("hw-status");
const prediction = $<HTMLOutputElement>("hw-prediction");
const notice = $("hw-notice");
const bars = [...document.querySelectorAll<HTMLLIElement>("#hw-probabilities li")];
const pen = canvas.getContext("2d", { willReadFrequently: true }) as CanvasRenderingContext2D;
/** The brush, in canvas pixels: a tenth of the pad, about MNIST's stroke once the drawing is scaled to 20 pixels. */
const BRUSH = 22;

let read: ((digit: Float64Array) => number[]) | undefined;
let pending = false;
let last: { x: number; y: number } | undefined;

/** Where a pointer event lies on the canvas, in canvas pixels (the canvas may be shown smaller than it is). */
function point(event: PointerEvent): { x: number; y: number } {
  const box = canvas.getBoundingClientRect();
  return {
    x: ((event.clientX - box.left) * canvas.width) / box.width,
    y: ((event.clientY - box.top) * canvas.height) / box.height,
  };
}

function stroke(to: { x: number; y: number }): void {
  const from = last ?? to;
  pen.lineWidth = BRUSH;
  pen.lineCap = "round";
  pen.lineJoin = "round";
  pen.strokeStyle = "#000";
  pen.beginPath();
  pen.moveTo(from.x, from.y);
  pen.lineTo(to.x + (from === to ? 0.01 : 0), to.y);
  pen.stroke();
  last = to;
  schedule();
}

function schedule(): void {
  if (pending) return;
  pending = true;
  requestAnimationFrame(() => {
    pending = false;
    update();
  });
}

/** The canvas's ink (its opacity: the pad is transparent where nothing was drawn) made into a digit, read, shown. */
function update(): void {
  const { data, width, height } = pen.getImageData(0, 0, canvas.width, canvas.height);
  const ink = new Float64Array(width * height);
  for (let i = 0; i < ink.length; i++) ink[i] = data[4 * i + 3] / 255;
  const digit = toMnistDigit(ink, width, height);
  drawPreview(digit);
  if (!read) return;
  const empty = digit.every((v) => v === 0);
  const probabilities = empty ? new Array<number>(10).fill(0) : read(digit);
  const best = probabilities.indexOf(Math.max(...probabilities));
  prediction.value = empty ? "–" : String(best);
  prediction.dataset.digit = empty ? "" : String(best);
  bars.forEach((bar, d) => {
    const p = probabilities[d];
    (bar.querySelector(".hw-fill") as HTMLElement).style.width = `${(100 * p).toFixed(1)}%`;
    (bar.querySelector(".hw-percent") as HTMLElement).textContent = empty
      ? "–"
      : `${(100 * p).toFixed(p < 0.1 ? 1 : 0)} %`;
    bar.classList.toggle("best", !empty && d === best);
  });
}

function drawPreview(digit: Float64Array): void {
  const context = preview.getContext("2d") as CanvasRenderingContext2D;
  const image = context.createImageData(SIDE, SIDE);
  digit.forEach((v, i) => {
    const grey = Math.round(255 * (1 - v));
    image.data.set([grey, grey, grey, 255], 4 * i);
  });
  context.putImageData(image, 0, 0);
}

function clear(): void {
  pen.clearRect(0, 0, canvas.width, canvas.height);
  last = undefined;
  schedule();
}

canvas.addEventListener("pointerdown", (event) => {
  event.preventDefault();
  canvas.setPointerCapture(event.pointerId);
  last = undefined;
  stroke(point(event));
});
canvas.addEventListener("pointermove", (event) => {
  if (!canvas.hasPointerCapture(event.pointerId)) return;
  event.preventDefault();
  for (const e of event.getCoalescedEvents?.() ?? [event]) stroke(point(e));
});
for (const end of ["pointerup", "pointercancel"]) {
  canvas.addEventListener(end, () => {
    last = undefined;
  });
}
$("hw-clear").addEventListener("click", clear);

/** Loads the network the build trained and the course code that runs it; or says which lesson stopped it. */
async function start(): Promise<void> {
  try {
    const { Tensor } = await loadCourseModule<typeof TensorModule>("tensor");
    const { MLP } = await loadCourseModule<typeof TensorNn>("tensor-nn");
    const { softmax } = await loadCourseModule<typeof Softmax>("softmax");
    const model = (await (await fetch("model.json")).json()) as HandwritingModel;
    const sizes = "unfinished" in model ? [128, 10] : model.layers.map((layer) => layer.cols);
    const network = new MLP(SIDE * SIDE, sizes, { init: "zeros" });
    const reader = (digit: Float64Array) => {
      const x = new Tensor([1, SIDE * SIDE]);
      x.data.set(digit);
      return Array.from(softmax(network.forward(x)).data);
    };
    // The page's own part of the course code (lessons 14 and 16) runs once first: a stub there is what to finish
    // first, even when the build's training stopped at a later lesson.
    reader(new Float64Array(SIDE * SIDE));
    if ("unfinished" in model) {
      showStubNotice(notice, model.unfinished, model.message);
      status.textContent = "No network yet: the site could not train one with this code.";
      return;
    }
    network.layers.forEach((layer, i) => {
      const { weight, bias } = modelWeights(model.layers[i]);
      layer.weight.data.set(weight);
      layer.bias.data.set(bias);
    });
    read = reader;
    status.textContent =
      `Ready: trained for ${model.epochs} epochs, it reads ${(100 * model.testAccuracy).toFixed(1)} % of the 2,000 ` +
      "test digits right. Draw a digit.";
    canvas.dataset.ready = "true";
    update();
  } catch (error) {
    const lesson = stubLesson(error);
    if (!lesson) throw error;
    showStubNotice(notice, lesson, error instanceof Error ? error.message : String(error));
    status.textContent = "The network cannot run yet.";
  }
}

void start();
