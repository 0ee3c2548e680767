/**
 * A tiny static server for the example: `public/`, the SDK's browser build at
 * `/vendor/web-track-browser.global.js` (straight from node_modules: the
 * package ships an IIFE build, so no bundler is needed), and `/config.js`.
 *
 *   pulumi stack output --json > /tmp/outputs.json
 *   npx ts-node --transpile-only examples/web-tracking/serve.ts /tmp/outputs.json   # http://127.0.0.1:8080
 */
import * as fs from "fs";
import * as http from "http";
import * as path from "path";
import { AddressInfo } from "net";
import { configScript, PageTrackingConfig, pageConfigFromOutputs } from "./config";

const PUBLIC = path.join(__dirname, "public");
const TYPES: Record<string, string> = { ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8" };

/** Path of the SDK's browser (IIFE) build, which defines `window.SLS_Tracker`. */
export function sdkBrowserBuild(): string {
  return path.join(path.dirname(require.resolve("@aliyun-sls/web-track-browser/package.json")), "dist", "web-track-browser.global.js");
}

export interface ExampleServer {
  readonly url: string;
  close(): Promise<void>;
}

/** Serves the example with the given tracking config. */
export async function startExampleServer(config: PageTrackingConfig, port = 0): Promise<ExampleServer> {
  const server = http.createServer((req, res) => {
    const p = new URL(req.url ?? "/", "http://local").pathname;
    let file: string | undefined;
    let body: string | Buffer | undefined;
    if (p === "/config.js") body = configScript(config);
    else if (p === "/vendor/web-track-browser.global.js") file = sdkBrowserBuild();
    else {
      const candidate = path.join(PUBLIC, p === "/" ? "index.html" : p);
      if (candidate.startsWith(PUBLIC + path.sep) && fs.existsSync(candidate)) file = candidate;
    }
    if (file) body = fs.readFileSync(file);
    if (body === undefined) {
      res.writeHead(404);
      res.end();
      return;
    }
    res.writeHead(200, { "content-type": TYPES[path.extname(file ?? p)] ?? "text/javascript; charset=utf-8", "cache-control": "no-store" });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const { port: actual } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${actual}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

if (require.main === module) {
  const outputs = JSON.parse(fs.readFileSync(process.argv[2] ?? 0, "utf8")) as Record<string, unknown>;
  void startExampleServer(pageConfigFromOutputs(outputs), Number(process.env.PORT ?? 8080)).then((s) => console.log(`web tracking example on ${s.url}`));
}
