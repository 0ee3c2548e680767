// The compiled copy the commands run: every program, CLI, policy and bench source transpiled
// to bin/ (same layout) with SWC and the options `ts-node --swc` derives from tsconfig.json, so
// the compiled and the ts-node paths run the same JavaScript. Incremental: a file is
// transpiled only when its source is newer than its output; outputs without a source are
// removed; a change of this script or of SWC rebuilds everything. Then the ahead-of-time ajv
// validators (scripts/validators.js), regenerated whenever their schema changed.
//
//   node scripts/build.js            # build when stale (what the npm scripts do first)
//   node -r ./scripts/build.js bin/cli/plan.js ...   # build when stale, then run
// Type errors are `npm run typecheck`'s job (CI): this is a transpile, like ts-node --swc.
"use strict";
const fs = require("fs");
const path = require("path");
const crypto = require("crypto");

const ROOT = path.join(__dirname, "..");
const OUT = path.join(ROOT, "bin");
const SOURCE_DIRS = ["lib", "components", "providers", "plan-engine", "cli", "policy", "bench"];
const SOURCE_FILES = ["index.ts", "stack.ts", "project-files.ts"];
const STAMP = ".build-stamp";

/** Every source (.ts, and .json data files the sources import) under the program's folders. */
function sources(root) {
  const out = SOURCE_FILES.filter((f) => fs.existsSync(path.join(root, f)));
  const walk = (rel) => {
    for (const e of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const r = path.join(rel, e.name);
      if (e.isDirectory()) {
        if (e.name !== "node_modules") walk(r);
      } else if ((e.name.endsWith(".ts") && !e.name.endsWith(".d.ts")) || (e.name.endsWith(".json") && e.name !== "package.json")) {
        out.push(r);
      }
    }
  };
  for (const d of SOURCE_DIRS) if (fs.existsSync(path.join(root, d))) walk(d);
  return out.sort();
}

const outputOf = (rel) => (rel.endsWith(".ts") ? rel.slice(0, -3) + ".js" : rel);

function mtime(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return -1;
  }
}

/** The SWC options `ts-node --swc` uses for this tsconfig (target ES2022, CommonJS, esModuleInterop). */
function swcOptions(filename) {
  return {
    filename,
    swcrc: false,
    sourceMaps: false,
    module: { type: "commonjs", noInterop: false, strictMode: true, ignoreDynamic: false },
    jsc: {
      parser: { syntax: "typescript", tsx: false, decorators: undefined, dynamicImport: true, importAssertions: true },
      target: "es2022",
      transform: { legacyDecorator: true, useDefineForClassFields: true },
      keepClassNames: true,
      experimental: { keepImportAttributes: true, emitAssertForImportAttributes: true },
    },
  };
}

/**
 * A clone without installed packages: say how to install them (exit 1), instead of a
 * "Cannot find module" stack trace from the first require.
 */
function requirePackages() {
  try {
    require.resolve("@swc/core/package.json");
    require.resolve("commander");
  } catch {
    process.stderr.write(
      "photo-analytics: the npm packages are not installed here: run `npm ci` first (./scripts/plan.sh and ./scripts/test.sh, the README's two commands, run it for you)\n",
    );
    process.exit(1);
  }
}

function stamp() {
  const swcVersion = require("@swc/core/package.json").version;
  return crypto
    .createHash("sha256")
    .update(fs.readFileSync(path.join(__dirname, "build.js")))
    .update(swcVersion)
    .digest("hex");
}

/**
 * Brings `outDir` up to date with the sources under `root`. Returns the relative paths
 * transpiled or copied (empty when nothing was stale).
 */
function build(root = ROOT, outDir = OUT) {
  const srcs = sources(root);
  const stampFile = path.join(outDir, STAMP);
  let swc;
  const changed = [];
  const expected = new Set(srcs.map(outputOf));
  const existing = fs.existsSync(outDir) ? listOutputs(outDir) : [];
  for (const rel of srcs) {
    const src = path.join(root, rel);
    const dst = path.join(outDir, outputOf(rel));
    if (mtime(dst) >= mtime(src)) continue;
    if (changed.length === 0) {
      // Something is stale: check that the outputs were made by this script and this SWC.
      const s = stamp();
      if (!fs.existsSync(stampFile) || fs.readFileSync(stampFile, "utf8") !== s) return rebuild(root, outDir, s);
    }
    fs.mkdirSync(path.dirname(dst), { recursive: true });
    if (rel.endsWith(".json")) {
      fs.copyFileSync(src, dst);
    } else {
      swc ??= require("@swc/core");
      fs.writeFileSync(dst, swc.transformSync(fs.readFileSync(src, "utf8"), swcOptions(src)).code);
    }
    changed.push(rel);
  }
  // Outputs whose source is gone: a deleted module must not stay requirable.
  for (const rel of existing) {
    if (!expected.has(rel)) {
      fs.rmSync(path.join(outDir, rel), { force: true });
      changed.push(rel);
    }
  }
  if (!fs.existsSync(stampFile)) {
    fs.mkdirSync(outDir, { recursive: true });
    fs.writeFileSync(stampFile, stamp());
  }
  require("./validators").generateValidators(outDir);
  return changed;
}

function rebuild(root, outDir, s) {
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, STAMP), s);
  return build(root, outDir);
}

/** Compiled outputs under `outDir` (relative), the generated validators excepted. */
function listOutputs(outDir) {
  const out = [];
  const walk = (rel) => {
    for (const e of fs.readdirSync(path.join(outDir, rel), { withFileTypes: true })) {
      const r = path.join(rel, e.name);
      if (e.isDirectory()) {
        if (r !== "generated") walk(r);
      } else if (e.name.endsWith(".js") || e.name.endsWith(".json")) out.push(r);
    }
  };
  walk("");
  return out;
}

module.exports = { build, sources, swcOptions, ROOT, OUT };

const USAGE = `Usage: build [options]

Bring bin/ up to date: an incremental SWC transpile of every program, command, policy and bench
source, and the ahead-of-time ajv validators. Every npm script that runs a command does it first.

Options:
  --verbose   also list the files rebuilt (the count is always printed)
  -h, --help  print this help and exit 0

Exit codes:
  0  ok       bin/ is up to date
  1  error    a bad option, the npm packages not installed, or a source that does not transpile
`;

if (require.main === module) {
  // A JavaScript script (it builds the TypeScript command layer, so it cannot use it): its
  // options, help and exit codes follow cli/command.ts by hand.
  const args = process.argv.slice(2);
  if (args.includes("--help") || args.includes("-h")) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  const unknown = args.filter((a) => a !== "--verbose");
  if (unknown.length > 0) {
    process.stderr.write(`build: unknown option '${unknown[0]}' (allowed: --verbose, --help)\n`);
    process.exit(1);
  }
  requirePackages();
  let changed;
  try {
    changed = build();
  } catch (e) {
    process.stderr.write(`build: ${e && e.message ? e.message.split("\n")[0] : e}\n`);
    process.exit(1);
  }
  process.stderr.write(`bin/: ${changed.length} file(s) rebuilt${args.includes("--verbose") && changed.length ? `: ${changed.join(", ")}` : ""}\n`);
} else if (module.parent && module.parent.id === "internal/preload") {
  // `node -r ./scripts/build.js bin/...`: bring bin/ up to date before the entry point loads.
  requirePackages();
  build();
}
