// Parses the sample pipelines with their platforms' own parsers:
//   GitHub Actions: @actions/workflow-parser (parseWorkflow, then convertWorkflowTemplate);
//   Azure Pipelines: azure-pipelines-language-service (its YAML parser and validation, against the
//   keys of azure-pipelines-keys.schema.json).
// Usage: node parse-samples.mjs <github workflow> <azure pipeline>. Exit code 1 on any error.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { parseWorkflow, convertWorkflowTemplate, NoOperationTraceWriter } from "@actions/workflow-parser";

const require = createRequire(import.meta.url);
const azure = require("azure-pipelines-language-service");
const here = dirname(fileURLToPath(import.meta.url));
const [githubPath, azurePath] = process.argv.slice(2);
let failed = false;

// GitHub Actions
{
  const result = parseWorkflow({ name: githubPath, content: readFileSync(githubPath, "utf8") }, new NoOperationTraceWriter());
  const errors = result.context.errors.getErrors();
  const template = result.value ? await convertWorkflowTemplate(result.context, result.value) : undefined;
  const all = errors.concat(template?.errors ?? []);
  for (const error of all) {
    console.error(`github: ${error.message ?? error}`);
  }
  if (all.length > 0 || !template) {
    failed = true;
  } else {
    console.log(`github: ${template.jobs.length} jobs (${template.jobs.map((j) => j.id.value ?? j.id).join(", ")})`);
  }
}

// Azure Pipelines
{
  const text = readFileSync(azurePath, "utf8");
  const schema = JSON.parse(readFileSync(join(here, "azure-pipelines-keys.schema.json"), "utf8"));
  const uri = "file:///" + azurePath.replace(/^\//, "");
  const service = azure.getLanguageService((u) => Promise.resolve(schema), [], null);
  service.configure({ validate: true, schemas: [{ uri: "renku:azure-pipelines-keys", fileMatch: ["*"], schema }] });
  const document = azure.TextDocument.create(uri, "yaml", 1, text);
  const yaml = azure.parse(text);
  const diagnostics = await service.doValidation(document, yaml);
  const syntax = yaml.documents.flatMap((d) => d.errors);
  for (const d of diagnostics) {
    console.error(`azure: line ${d.range.start.line + 1}: ${d.message}`);
  }
  for (const e of syntax) {
    console.error(`azure: ${e.message}`);
  }
  const root = yaml.documents[0]?.root;
  const stages = root?.properties?.find((p) => p.key.value === "stages")?.value?.items ?? [];
  if (diagnostics.length > 0 || syntax.length > 0 || stages.length === 0) {
    failed = true;
  } else {
    console.log(`azure: ${stages.length} stages`);
  }
}

process.exit(failed ? 1 : 0);
