/** `npm run reset -- <lesson> [--yes]`: that lesson's regions in src/ back to the starter (see scripts/lib/rewrite.ts). */
import { rewriteCommand } from "./lib/rewrite";
import { processTerminal } from "./lib/terminal";

process.exitCode = await rewriteCommand("reset", process.argv.slice(2), processTerminal());
