/**
 * One offline-plan benchmark case, run in a fresh process by cli/bench.ts so that
 * its wall time includes everything a user waits for (module loading, the SDK,
 * the program) and its peak RSS is its own. Prints `{planMs, peakRssMb, resources}`.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { recordPlan } from "../plan-engine/record-plan";
import { PROJECT_ROOT, readStackFile } from "../project-files";
import { ConfigInput } from "../lib/config/load";
import { formatSchemaSnapshot, SourceSchema } from "../lib/config/source-schema";
import { appendToLedger, formatTableLedger } from "../lib/maxcompute/table-ledger";
import { odsTable } from "../lib/maxcompute/ods-tables";
import { BATCH_TIERS } from "../lib/config/types";

const ROOT = PROJECT_ROOT;

/** A config of `n` generated tables (every tenth hourly), and the schema snapshot it points at. */
export function generatedConfig(n: number, dir: string): ConfigInput {
  const tables = Array.from({ length: n }, (_, i) => ({
    name: `t${String(i).padStart(4, "0")}`,
    comment: "",
    columns: [
      { name: "id", type: "bigint(20)", nullable: false, comment: "" },
      { name: "user_id", type: "varchar(64)", nullable: false, comment: "" },
      { name: "amount", type: "decimal(10,2)", nullable: true, comment: "" },
      { name: "created_time", type: "datetime", nullable: false, comment: "" },
    ],
    primaryKey: ["id"],
    uniqueKeys: [],
  }));
  const schema: SourceSchema = { database: "bench", tables };
  const file = path.join(dir, "bench.schema.json");
  fs.writeFileSync(file, formatSchemaSnapshot(schema));
  // The table ledger `npm run ddl` would have written for this schema (every table new).
  const ledger = path.join(dir, "bench.ledger.json");
  const ods = tables.flatMap((t) => BATCH_TIERS.map((layer) => odsTable(t, layer, 365)));
  fs.writeFileSync(ledger, formatTableLedger(appendToLedger({ database: "bench", tables: {} }, ods)));
  const base = readStackFile(path.join(ROOT, "Pulumi.dev.yaml"));
  return {
    ...base,
    values: {
      ...base.values,
      "photo-analytics:source": JSON.stringify({ host: "10.0.0.1", user: "u", database: "bench", schemaFile: file }),
      "photo-analytics:warehouse": JSON.stringify({ ...JSON.parse(base.values["photo-analytics:warehouse"]), tableLedgerFile: ledger }),
      "photo-analytics:tables": JSON.stringify(
        tables.map((t, i) => ({ name: t.name, incrementalColumn: "created_time", tier: i % 10 === 0 ? "hourly" : "daily" })),
      ),
    },
  };
}

export const CASES = ["bare", "bare-lean", "dev", "prod", "prod-mature", "prod-against-stage", "tables-1000"] as const;

/**
 * `npm run plan -- --stack prod --stage mature --against-stage initial --format markdown` in this
 * process (both programs, the diff, cost and policies; output discarded). Returns the output's line count.
 */
async function againstStage(): Promise<number> {
  const { main } = require("../cli/plan") as typeof import("../cli/plan");
  const write = process.stdout.write;
  let out = "";
  process.stdout.write = ((chunk: string) => {
    out += chunk;
    return true;
  }) as typeof process.stdout.write;
  try {
    const code = await main(["--stack", "prod", "--stage", "mature", "--against-stage", "initial", "--format", "markdown"]);
    if (code !== 2) throw new Error(`plan --against-stage exited ${code}, expected 2 (changes)`);
  } finally {
    process.stdout.write = write;
  }
  return out.split("\n").length;
}

async function run(name: string): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pa-bench-"));
  const dev = readStackFile(path.join(ROOT, "Pulumi.dev.yaml"));
  const prod = readStackFile(path.join(ROOT, "Pulumi.prod.yaml"));
  const t = process.hrtime.bigint();
  let plan: { resources: readonly unknown[] };
  switch (name) {
    case "bare":
    case "bare-lean": {
      // The floor: both SDKs as plain Node loads them (cli/bench.ts runs this case with
      // PHOTO_ANALYTICS_PLAN_FULL_SDK=1) and one mocked resource. "bare-lean" loads them as the
      // plan does (plan-engine/lean-sdk.ts, one alicloud namespace): what the plan itself adds shows against it.
      const maxcompute = (
        name === "bare" ? (require("@pulumi/alicloud") as typeof import("@pulumi/alicloud")).maxcompute : require("@pulumi/alicloud/maxcompute")
      ) as typeof import("@pulumi/alicloud/maxcompute");
      plan = await recordPlan({
        stack: "bench",
        config: dev,
        program: () => {
          new maxcompute.Project("bare", { projectName: "bare_project" });
          return {};
        },
      });
      break;
    }
    case "dev":
      plan = await recordPlan({ stack: "dev", config: dev });
      break;
    case "prod":
      plan = await recordPlan({ stack: "prod", config: prod });
      break;
    case "prod-mature":
      plan = await recordPlan({ stack: "prod", config: { ...prod, values: { ...prod.values, "photo-analytics:stage": "mature" } } });
      break;
    case "prod-against-stage":
      plan = { resources: new Array(await againstStage()) };
      break;
    case "tables-1000":
      plan = await recordPlan({ stack: "big", config: generatedConfig(1000, dir) });
      break;
    default:
      throw new Error(`unknown case ${name}; cases: ${CASES.join(", ")}`);
  }
  const planMs = Number(process.hrtime.bigint() - t) / 1e6;
  fs.rmSync(dir, { recursive: true, force: true });
  process.stdout.write(JSON.stringify({ planMs, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024), resources: plan.resources.length }) + "\n");
}

if (require.main === module) {
  run(process.argv[2]).catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
