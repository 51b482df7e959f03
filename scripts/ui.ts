/** `npm run ui`: vitest's browser UI on the lessons' tests against src/, on this machine only. */
import { runVitest, UI_HOST, UI_PORT, uiArgs } from "./lib/launch";

console.log(`Vitest UI for your code in src/: http://${UI_HOST}:${UI_PORT}/__vitest__/  (Ctrl-C stops it)`);
process.exitCode = await runVitest(uiArgs(process.argv.slice(2)));
