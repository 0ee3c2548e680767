/**
 * lib/ has no import loop, type imports included (ESLint's import-x/no-cycle skips `import type`):
 * the pure layer stays a stack of floors a reader can take one at a time.
 */
import * as fs from "fs";
import * as path from "path";

const LIB = path.join(__dirname, "..", "lib");

function files(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith(".ts") ? [path.join(dir, e.name)] : []));
}

/** file -> the lib files it imports (values, types and re-exports alike). */
function graph(): Map<string, string[]> {
  const g = new Map<string, string[]>();
  for (const f of files(LIB)) {
    const deps: string[] = [];
    for (const m of fs.readFileSync(f, "utf8").matchAll(/\bfrom\s+"(\.[^"]+)"/g)) {
      const base = path.resolve(path.dirname(f), m[1]);
      const target = [`${base}.ts`, path.join(base, "index.ts")].find((t) => fs.existsSync(t));
      if (target) deps.push(target);
    }
    g.set(f, deps);
  }
  return g;
}

/** The strongly connected components of more than one file (Tarjan). */
function loops(g: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    on.add(v);
    for (const w of g.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const c: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        c.push(path.relative(LIB, w));
      } while (w !== v);
      if (c.length > 1) out.push(c.sort());
    }
  };
  for (const v of g.keys()) if (!index.has(v)) visit(v);
  return out;
}

it("lib/ has no import loop, type imports included", () => {
  expect(loops(graph())).toEqual([]);
});

it("finds a loop when there is one (the check can fail)", () => {
  const g = new Map([
    ["/a.ts", ["/b.ts"]],
    ["/b.ts", ["/c.ts"]],
    ["/c.ts", ["/a.ts"]],
    ["/d.ts", ["/a.ts"]],
  ]);
  expect(loops(g).map((c) => c.length)).toEqual([3]);
});
