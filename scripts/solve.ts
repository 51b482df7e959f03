/** `npm run solve -- <lesson> [--yes]`: that lesson's regions in src/ filled with the reference (see scripts/lib/rewrite.ts). */
import { rewriteCommand } from "./lib/rewrite";
import { processTerminal } from "./lib/terminal";

process.exitCode = await rewriteCommand("solve", process.argv.slice(2), processTerminal());
