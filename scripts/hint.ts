/** `npm run hint -- <lesson> [--all] [--reset]` (see scripts/lib/hints.ts). */
import { hintCommand } from "./lib/hints";
import { processTerminal } from "./lib/terminal";

process.exitCode = hintCommand(process.argv.slice(2), processTerminal());
