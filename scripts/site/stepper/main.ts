/** The backprop stepper page: parses the program, builds it with the course's engine, steps through backward. */
import type * as Engine from "@course/engine";
import type { Value } from "@course/engine";
import { loadCourseModule, showStubNotice, stubLesson } from "../browser/course";
import { type BackwardStep, BackwardStepper, localRule } from "./backward-steps";
import { EXAMPLES } from "./examples";
import { asOperand, ExpressionError, parseProgram } from "./expression";
import { buildGraph, type ExpressionGraph } from "./graph";
import { format, renderGraph } from "./render";
import { nonFiniteWarning } from "./warnings";

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const form = $<HTMLFormElement>("st-form");
const example = $<HTMLSelectElement>("st-example");
const program = $<HTMLTextAreaElement>("st-program");
const errorBox = $("st-error");
const notice = $("st-notice");
const status = $("st-status");
const svg = document.getElementById("st-graph") as unknown as SVGSVGElement;
const log = $("st-log");
const check = $("st-check");
const table = $("st-nodes");
const buttons = {
  forward: $<HTMLButtonElement>("st-forward"),
  step: $<HTMLButtonElement>("st-step"),
  finish: $<HTMLButtonElement>("st-finish"),
  restart: $<HTMLButtonElement>("st-restart"),
};

interface State {
  graph: ExpressionGraph;
  stepper: BackwardStepper;
  /** Topological order (children first): the nodes as drawn. */
  nodes: Value[];
  forwardDone: boolean;
  last?: BackwardStep;
}

let ValueClass: typeof Engine.Value | undefined;
let state: State | undefined;

for (const [i, { title }] of EXAMPLES.entries()) example.add(new Option(title, String(i)));
const custom = new Option("Your own, as typed", "custom");
example.add(custom);

const fromAddress = new URLSearchParams(location.search).get("expr");
program.value = fromAddress ?? EXAMPLES[0].program;
syncExampleChoice();

try {
  ValueClass = (await loadCourseModule<typeof Engine>("engine")).Value;
  draw();
} catch (error) {
  status.textContent = `The course code did not load: ${String(error)}`;
}

example.addEventListener("change", () => {
  if (example.value === "custom") return;
  program.value = EXAMPLES[Number(example.value)].program;
  draw();
});
program.addEventListener("input", syncExampleChoice);
form.addEventListener("submit", (event) => {
  event.preventDefault();
  draw();
});
buttons.forward.addEventListener("click", () => {
  if (!state) return;
  state.forwardDone = true;
  say(
    `Forward: every node's data, computed by the engine as it built the graph, in topological order. ` +
      `Now run backward, one node at a time.`,
  );
  warnIfNotFinite(state);
  update();
  buttons.step.focus();
});
buttons.step.addEventListener("click", () => backwardSteps(1));
buttons.finish.addEventListener("click", () => backwardSteps(Number.POSITIVE_INFINITY));
buttons.restart.addEventListener("click", () => draw());
let resizeTimer = 0;
addEventListener("resize", () => {
  clearTimeout(resizeTimer);
  resizeTimer = window.setTimeout(update, 150);
});

function syncExampleChoice(): void {
  const index = EXAMPLES.findIndex((e) => e.program === program.value);
  example.value = index >= 0 ? String(index) : "custom";
}

/** Parses and builds the program afresh: every grad 0, nothing run yet. */
function draw(): void {
  if (!ValueClass) return;
  state = undefined;
  log.replaceChildren();
  check.hidden = true;
  errorBox.hidden = true;
  notice.hidden = true;
  try {
    const graph = buildGraph(parseProgram(program.value), ValueClass);
    const stepper = new BackwardStepper(graph.root);
    state = { graph, stepper, nodes: [...stepper.order].reverse(), forwardDone: false };
    history.replaceState(null, "", `?expr=${encodeURIComponent(program.value)}`);
    say(`The graph has ${state.nodes.length} nodes. Press Forward to see their data.`);
  } catch (error) {
    showError(error);
  }
  update();
}

function backwardSteps(count: number): void {
  if (!state?.forwardDone) return;
  try {
    for (let i = 0; i < count && !state.stepper.finished; i++) {
      state.last = state.stepper.step();
      log.append(logEntry(state, state.last));
    }
    say(describeStep(state, state.last));
    warnIfNotFinite(state);
    if (state.stepper.finished) compareWithBackward(state);
  } catch (error) {
    showError(error);
  }
  update();
}

function update(): void {
  const s = state;
  buttons.forward.disabled = !s || s.forwardDone;
  buttons.step.disabled = !s?.forwardDone || s.stepper.finished;
  buttons.finish.disabled = buttons.step.disabled;
  buttons.restart.disabled = !s;
  if (!s) {
    svg.replaceChildren();
    table.replaceChildren();
    return;
  }
  renderGraph(svg, {
    nodes: s.nodes,
    name: (node) => displayName(s.graph, node),
    showData: s.forwardDone,
    active: s.last?.kind === "local" ? s.last.node : undefined,
    receiving: new Set(s.last?.changes.map((c) => c.node)),
    passedOn: new Set(s.stepper.order.slice(0, Math.max(0, s.stepper.taken - 1))),
    width: svg.parentElement?.clientWidth ?? 360,
  });
  table.replaceChildren(
    ...s.nodes.map((node) => {
      const row = document.createElement("tr");
      for (const text of [
        displayName(s.graph, node),
        node.op || "input",
        s.forwardDone ? format(node.data) : "?",
        format(node.grad),
      ]) {
        const cell = document.createElement("td");
        cell.textContent = text;
        row.append(cell);
      }
      return row;
    }),
  );
  if (buttons.step.disabled && document.activeElement === buttons.step) buttons.restart.focus();
}

function displayName(graph: ExpressionGraph, node: Value): string {
  return graph.names.get(node) ?? (node.label || format(node.data));
}

/** The name as it reads next to an operator or before ".grad": "(x1*w1 + x2*w2).grad", "(1 / a).backward()". */
function operandName(graph: ExpressionGraph, node: Value): string {
  return asOperand(displayName(graph, node));
}

/** A number that is not finite shows the same warning as a refusal of the engine, under the expression. */
function warnIfNotFinite(s: State): void {
  const warning = nonFiniteWarning(s.nodes, (node) => operandName(s.graph, node));
  if (!warning) return;
  errorBox.textContent = `Careful: ${warning}`;
  errorBox.hidden = false;
}

/** "L = d * f" for a named node, the operation on its children's names otherwise. */
function stepTitle(s: State, node: Value): string {
  const names = node.children.map((child) => operandName(s.graph, child));
  let formula: string;
  if (node.op === "") return displayName(s.graph, node);
  if (["+", "-", "*", "/"].includes(node.op) && names.length === 2) formula = `${names[0]} ${node.op} ${names[1]}`;
  else if (node.op === "neg") formula = `-${names[0]}`;
  else if (node.op.startsWith("**")) formula = `${names[0]}${node.op}`;
  else formula = `${node.op}(${node.children.map((child) => displayName(s.graph, child)).join(", ")})`;
  return node.label ? `${node.label} = ${formula}` : formula;
}

function describeStep(s: State, step: BackwardStep | undefined): string {
  if (!step) return "";
  const number = `Step ${s.stepper.taken} of ${s.stepper.total}`;
  if (step.kind === "seed") {
    const root = operandName(s.graph, step.node);
    return `${number}: the root ${displayName(s.graph, step.node)} gets grad 1 (d${root}/d${root} = 1: the root's own derivative). Next, its local backward step.`;
  }
  const changes = step.changes.map(
    (c) =>
      `${operandName(s.graph, c.node)}.grad ${format(c.before)} → ${format(c.after)} (+= ${format(c.after - c.before)})`,
  );
  const what = changes.length > 0 ? `: ${changes.join("; ")}` : "";
  const end = s.stepper.finished ? " Backward is done: every grad is final." : "";
  return `${number}: ${stepTitle(s, step.node)}, ${localRule(step.node.op)}${what}.${end}`;
}

function logEntry(s: State, step: BackwardStep): HTMLLIElement {
  const item = document.createElement("li");
  item.textContent = describeStep(s, step)
    .replace(/^Step \d+ of \d+: /, "")
    .replace(/ Backward is done.*$/, "");
  return item;
}

/** Checks the stepped grads against one call of the learner's `backward()` on a fresh copy of the graph. */
function compareWithBackward(s: State): void {
  if (!ValueClass) return;
  check.hidden = false;
  try {
    const fresh = buildGraph(parseProgram(program.value), ValueClass);
    fresh.root.backward();
    const freshNodes = fresh.root.topoSort();
    // Object.is: a NaN grad (after a division by zero) is the same as NaN.
    const differ = s.nodes.filter((node, i) => !Object.is(freshNodes[i]?.grad, node.grad));
    const root = operandName(s.graph, s.graph.root);
    check.textContent =
      differ.length === 0
        ? `${root}.backward() gives the same grads, all ${s.nodes.length} of them.`
        : `${root}.backward() gives other grads for ${differ.map((n) => displayName(s.graph, n)).join(", ")}: ` +
          "compare your backward() with the steps above.";
  } catch (error) {
    const lesson = stubLesson(error);
    check.textContent = lesson
      ? `Finish lesson ${lesson.slice(-2)} to compare these steps with a single call of backward().`
      : `backward() failed: ${error instanceof Error ? error.message : String(error)}`;
  }
}

function showError(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  const lesson = stubLesson(error);
  if (lesson) {
    showStubNotice(notice, lesson, message.replace(/^Line \d+, column \d+: /, ""));
    say(`The engine stopped at lesson ${lesson.slice(-2)}, which is not done yet.`);
    return;
  }
  errorBox.textContent = error instanceof ExpressionError ? message : `The engine refused: ${message}`;
  errorBox.hidden = false;
  say("The graph could not be built: see the message under the expression.");
}

function say(text: string): void {
  status.textContent = text;
}
