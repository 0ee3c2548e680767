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
const SOURCE_DIRS = ["lib", "components", "providers", "cli", "policy", "bench"];
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

if (require.main === module) {
  const changed = build();
  if (process.argv.includes("--verbose")) process.stderr.write(`bin/: ${changed.length} file(s) rebuilt\n`);
} else if (module.parent && module.parent.id === "internal/preload") {
  // `node -r ./scripts/build.js bin/...`: bring bin/ up to date before the entry point loads.
  build();
}
