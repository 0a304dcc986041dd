// Lets node load the JSON files @actions/workflow-parser imports without an import attribute (its
// package is built for bundlers, which accept them): .json modules are read as JSON.
import { readFile } from "node:fs/promises";

export async function load(url, context, nextLoad) {
  if (url.startsWith("file:") && url.endsWith(".json")) {
    return { format: "json", source: await readFile(new URL(url), "utf8"), shortCircuit: true };
  }
  return nextLoad(url, context);
}
