/**
 * `npm run docs:config` writes docs/config-reference.md from the config schema and
 * defaults (lib/stack/reference.ts); `-- --check` exits 2 when the file is out of date.
 */
import * as path from "path";
import { configReference } from "../lib/stack/reference";
import { staleFiles, writeFiles } from "../project-files";
import { EXIT } from "../lib/exit-codes";
import { CommandError, defineCommand } from "./command";

/** Where the reference is written, relative to the project root. */
export const CONFIG_REFERENCE_FILE = path.join("docs", "config-reference.md");

export const command = defineCommand<{ check?: boolean }>({
  name: "docs:config",
  summary: `Write ${CONFIG_REFERENCE_FILE} from the config schema and defaults`,
  options: (p) => p.option("--check", "write nothing; exit 2 when the file is out of date"),
  exitCodes: { 0: "written, or (--check) up to date", 1: "bad option", 2: "--check: out of date" },
  run: (opts, { io, root }) => {
    const files = [{ path: CONFIG_REFERENCE_FILE, content: configReference() }];
    const stale = staleFiles(root, files);
    if (opts.check) {
      if (stale.length > 0) throw new CommandError(`${CONFIG_REFERENCE_FILE} is out of date: run npm run docs:config`, EXIT.changes);
      io.stdout(`${CONFIG_REFERENCE_FILE}: up to date\n`);
      return EXIT.ok;
    }
    writeFiles(root, files);
    io.stdout(stale.length > 0 ? `wrote ${CONFIG_REFERENCE_FILE}\n` : `${CONFIG_REFERENCE_FILE}: up to date\n`);
    return EXIT.ok;
  },
});

export const main = command.main;
