/**
 * The playground's form: each setting's control, filled from the settings, and the typed ones checked as they are
 * typed, with the message right below the field. Selects and sliders cannot hold a value outside their range;
 * a typed value is used only once it reads as a valid setting.
 */
import {
  DEFAULT_SETTINGS,
  LEARNING_RATES,
  type LiveField,
  RATES,
  type Settings,
  withField,
  writeField,
} from "./settings";

/** Each setting's control; a control the page leaves out (a bonus lesson the target lacks) keeps its default. */
export const FIELD_IDS: Record<Exclude<keyof Settings, "changes">, string> = {
  data: "pg-data",
  n: "pg-n",
  noise: "pg-noise",
  test: "pg-test",
  seed: "pg-seed",
  hidden: "pg-net",
  activation: "pg-activation",
  lr: "pg-lr",
  regularization: "pg-regularization",
  rate: "pg-rate",
  batch: "pg-batch",
  loss: "pg-loss",
  optimizer: "pg-optimizer",
  epochs: "pg-epochs",
};
export type FieldName = keyof typeof FIELD_IDS;

/** The settings that change while the network trains, and the live change each one is. */
export const LIVE: Partial<Record<FieldName, LiveField>> = { lr: "lr", rate: "rate", regularization: "reg" };

type Control = HTMLInputElement | HTMLSelectElement;

export function controlOf(name: FieldName): Control | null {
  return document.getElementById(FIELD_IDS[name]) as Control | null;
}

/** The settings' fields on this page, in the form's order. */
export function fieldNames(): FieldName[] {
  return (Object.keys(FIELD_IDS) as FieldName[]).filter((name) => controlOf(name));
}

/** Whether the learner types this field (and so may type something that is not a setting). */
export function isTyped(control: Control): control is HTMLInputElement {
  return control instanceof HTMLInputElement && control.type !== "range";
}

/** Settings the page can run: the fields it leaves out keep their defaults. */
export function onPage(wanted: Settings): Settings {
  const kept = { ...wanted };
  for (const name of Object.keys(FIELD_IDS) as FieldName[]) {
    if (!controlOf(name)) Object.assign(kept, { [name]: DEFAULT_SETTINGS[name] });
  }
  return kept;
}

/** Writes `settings` into the form; the live fields show `live`, the values in force now. */
export function fillForm(settings: Settings, live: Pick<Settings, "lr" | "rate" | "regularization">): void {
  const shown = { ...settings, ...live };
  offer(controlOf("lr"), LEARNING_RATES, shown.lr);
  offer(controlOf("rate"), RATES, shown.rate);
  for (const name of fieldNames()) {
    const control = controlOf(name) as Control;
    control.value = writeField(shown, name);
    showProblem(control, undefined);
    const output = document.getElementById(`${control.id}-value`);
    if (output) output.textContent = sliderText(name, shown[name] as number);
  }
  const batch = controlOf("batch") as HTMLInputElement | null;
  if (batch) batch.max = String(settings.n);
}

/** What a slider shows beside it: the noise as a number, the test share in percent. */
export function sliderText(name: FieldName, value: number): string {
  return name === "test" ? `${Math.round(100 * value)} %` : String(value);
}

/** Fills a select of numbers with `choices` and, if it is not among them, the value an address gave. */
function offer(control: Control | null, choices: number[], value: number): void {
  if (!(control instanceof HTMLSelectElement)) return;
  if ([...control.options].some((option) => Number(option.value) === value)) return;
  const values = [...new Set([...choices, value])].sort((a, b) => a - b);
  control.replaceChildren(...values.map((v) => new Option(String(v), String(v))));
}

/** Shows `problem` right below the control (or hides it), and marks the control invalid. */
export function showProblem(control: Control, problem: string | undefined): void {
  const message = document.getElementById(`${control.id}-problem`);
  if (message) {
    message.textContent = problem ? `${capitalize(problem)}.` : "";
    message.hidden = !problem;
  }
  if (problem) control.setAttribute("aria-invalid", "true");
  else control.removeAttribute("aria-invalid");
}

/** What the field holds: new settings, the same ones, or what is wrong with it. */
export function readField(
  settings: Settings,
  name: FieldName,
): { settings: Settings; changed: boolean } | { problem: string } {
  const control = controlOf(name) as Control;
  const read = withField(settings, name, control.value);
  if ("problem" in read) return read;
  return { settings: read.settings, changed: writeField(read.settings, name) !== writeField(settings, name) };
}

/** The first typed field that holds something it cannot use, with what is wrong; undefined when all are fine. */
export function firstProblem(settings: Settings): { name: FieldName; control: Control; problem: string } | undefined {
  for (const name of fieldNames()) {
    const control = controlOf(name) as Control;
    if (!isTyped(control)) continue;
    const read = readField(settings, name);
    if ("problem" in read) return { name, control, problem: read.problem };
  }
  return undefined;
}

/** A field's label, for messages ("the points"). */
export function labelOf(control: Control): string {
  return document.querySelector(`label[for="${control.id}"]`)?.textContent?.toLowerCase() ?? control.id;
}

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
