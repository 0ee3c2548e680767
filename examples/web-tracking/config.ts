/**
 * Turns the stack's outputs into the page's tracking config (`config.js`).
 *
 *   pulumi stack output --json | npx ts-node --transpile-only examples/web-tracking/config.ts > examples/web-tracking/public/config.js
 *
 * Reads the `webTracking` output (`{host, project, logstore}`, from the
 * Tracking component). Only the project, the logstore and the region's
 * endpoint are public: web tracking needs no credentials.
 */
import * as fs from "fs";

/** Options the page hands to `PhotoTracking` / `SLS_Tracker`. */
export interface PageTrackingConfig {
  /** `<region>.log.aliyuncs.com` (SDK sends to https://<project>.<host>), or a full `http(s)://` origin. */
  readonly host: string;
  readonly project: string;
  readonly logstore: string;
  readonly appVersion?: string;
  /** Seconds between SDK sends. */
  readonly time?: number;
  /** Logs per SDK send (at most 4,096). */
  readonly count?: number;
}

/** Options for {@link pageConfigFromOutputs}. */
export interface PageConfigOptions {
  readonly appVersion?: string;
  /**
   * `https` (default) lets the SDK build `https://<project>.<host>`; `http`
   * gives the full origin `http://<project>.<host>` (the local fake endpoint).
   */
  readonly scheme?: "https" | "http";
  readonly time?: number;
  readonly count?: number;
}

/** Builds the page config from `pulumi stack output --json`. */
export function pageConfigFromOutputs(outputs: Record<string, unknown>, options: PageConfigOptions = {}): PageTrackingConfig {
  const wt = outputs.webTracking as { host?: unknown; project?: unknown; logstore?: unknown } | undefined;
  for (const key of ["host", "project", "logstore"] as const) {
    if (typeof wt?.[key] !== "string" || (wt[key] as string).length === 0) {
      throw new Error(
        `stack output webTracking.${key} is ${JSON.stringify(wt?.[key])}; expected a non-empty string (is tracking enabled and the Tracking component's webTracking exported?)`,
      );
    }
  }
  const { host, project, logstore } = wt as { host: string; project: string; logstore: string };
  const count = options.count ?? 20;
  if (!Number.isInteger(count) || count < 1 || count > 4096) {
    throw new Error(`count is ${count}; allowed: an integer 1-4096 (a web-tracking request carries at most 4,096 logs)`);
  }
  return {
    host: options.scheme === "http" ? `http://${project}.${host}` : host,
    project,
    logstore,
    appVersion: options.appVersion,
    time: options.time ?? 2,
    count,
  };
}

/** The `config.js` script body. */
export function configScript(config: PageTrackingConfig): string {
  return `window.TRACKING_CONFIG = ${JSON.stringify(config, null, 2)};\n`;
}

if (require.main === module) {
  const outputs = JSON.parse(fs.readFileSync(0, "utf8")) as Record<string, unknown>;
  process.stdout.write(configScript(pageConfigFromOutputs(outputs, { appVersion: process.env.APP_VERSION })));
}
