/**
 * What the learner's commands need from the terminal, in one place: where text goes, whether to use
 * colour, whether a person is there to answer a question, and how to ask it. Commands take a `Terminal`
 * so tests can hand them a fake one and read what they printed.
 */
import { createInterface } from "node:readline/promises";

export interface Terminal {
  /** Prints a line (or several) to standard output. */
  print(text: string): void;
  /** Prints a line (or several) to standard error. */
  error(text: string): void;
  /** Colour and Unicode are used only on a terminal, and never with NO_COLOR set. */
  color: boolean;
  /** A person can answer questions: both standard input and output are terminals. */
  interactive: boolean;
  /** Asks a yes/no question; anything but "y" or "yes" is no. */
  confirm(question: string): Promise<boolean>;
}

/** Colour on a terminal, unless NO_COLOR (https://no-color.org) is set to anything non-empty. */
export function wantsColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(stream.isTTY) && !env.NO_COLOR;
}

/** The real terminal of this process. */
export function processTerminal(): Terminal {
  return {
    print: (text) => process.stdout.write(`${text}\n`),
    error: (text) => process.stderr.write(`${text}\n`),
    color: wantsColor(process.stdout),
    interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
    async confirm(question) {
      const prompt = createInterface({ input: process.stdin, output: process.stdout });
      try {
        return /^y(es)?$/i.test((await prompt.question(`${question} [y/N] `)).trim());
      } finally {
        prompt.close();
      }
    },
  };
}

export interface Paint {
  bold(text: string): string;
  dim(text: string): string;
  green(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
}

/** ANSI styles when `color` is on, plain text otherwise. */
export function paint(color: boolean): Paint {
  const style = (open: number, close: number) => (text: string) =>
    color ? `\u001b[${open}m${text}\u001b[${close}m` : text;
  return { bold: style(1, 22), dim: style(2, 22), green: style(32, 39), red: style(31, 39), yellow: style(33, 39) };
}
