/**
 * `npm run docs:config` writes docs/config-reference.md from the config schema and
 * defaults (lib/config/reference.ts); `-- --check` exits 2 when the file is out of date.
 */
import * as fs from "fs";
import * as path from "path";
import { configReference } from "../lib/config/reference";
import { EXIT } from "./exit";

/** Where the reference is written, relative to the project root. */
export const CONFIG_REFERENCE_FILE = path.join("docs", "config-reference.md");

export function main(argv: readonly string[], root: string = path.join(__dirname, "..")): number {
  const file = path.join(root, CONFIG_REFERENCE_FILE);
  const text = configReference();
  if (argv.includes("--check")) {
    const current = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : undefined;
    if (current === text) return EXIT.ok;
    process.stderr.write(`${CONFIG_REFERENCE_FILE} is out of date: run npm run docs:config\n`);
    return EXIT.changes;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  process.stdout.write(`wrote ${CONFIG_REFERENCE_FILE}\n`);
  return EXIT.ok;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
