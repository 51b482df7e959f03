/** `npm run ui`: vitest's browser UI on the lessons' tests against src/, on this machine only. */
import { runVitest, UI_HOST, uiArgs } from "./launch";

// Vitest prints the address once it listens (the next free port if the usual one is taken).
console.log(`Starting vitest's UI on your code in src/, for this machine only (${UI_HOST}). Ctrl-C stops it.`);
process.exitCode = await runVitest(uiArgs(process.argv.slice(2)));
