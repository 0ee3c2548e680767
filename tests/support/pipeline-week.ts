/**
 * A week of the deployed pipeline, run against MariaDB in the order DataWorks and DTS would run it.
 *
 * What runs is what the stack deploys, read from the real program's plan of the example prod stack at
 * the mature stage with DTS, as tests/golden/plans records it (tests/plan-matrix.test.ts holds it equal
 * to the program; regenerate it after changing the SQL): the ODS tables of the ROS templates,
 * the DI jobs' table mappings, partition values, incremental conditions, crons and scheduling
 * parameters, and every DataWorks node's script, cron and parameters; plus the realtime metric
 * queries of sql/maxcompute/realtime/metrics/ (not nodes yet). Everything MaxCompute runs goes
 * through the one translator (tests/support/maxcompute-on-mariadb.ts).
 *
 * Simulated around it:
 * - the source: `photo_assistant` (sql/mysql/photo_assistant.sql) in its own database, changed by
 *   the week's commits in order;
 * - DTS: from the first instant, `<t>_base` holds the source's rows and every commit adds
 *   `<t>_log` images (record_id in commit order, an UPDATE as a before and an after image, DELETE's
 *   before image; partitions modifytime_* in UTC), as DTS documents (lib/dts/merge-sql.ts);
 * - Data Integration: at each cron instant a job reads each table's rows that match its incremental
 *   condition (all rows on a job's first run, FullAndOfflineIncremental's full load, and on every run of
 *   a Full job) and overwrites the partition its partition values name, which then exists even when
 *   no row matched (DataWorks' MaxCompute writer truncates or adds the partition before writing:
 *   alibaba/DataX odpswriter `OdpsUtil.dealTruncate` / `truncatePartition`).
 *
 * Timeline: commits at or before an instant come first, then the jobs and nodes scheduled at it, in
 * plan order; realtime metric probes run at the instants the caller asks for.
 */
import * as fs from "fs";
import * as path from "path";
import * as mysql from "mysql2/promise";
import { MariaDbInstance, MariaDbOptions } from "./mariadb";
import { toMaria } from "./maxcompute-on-mariadb";
import { cronInstants, parameterValues } from "./dataworks-schedule";
import { parseQuartzCron } from "../../lib/config/cron";
import { RT_FEED_TABLE, RT_METRICS_NODE } from "../../lib/metrics/rt-metrics";
import { Row, SourceEvent, Week, secondsOf, wallClock } from "./synthetic-week";
import { renderCreateTable, MaxComputeTable } from "../../lib/maxcompute/ods-tables";

const ROOT = path.join(__dirname, "..", "..");

/** The server a week runs on: throwaway, so no binlog and no log flush per commit (a week runs about twice as fast). */
export const WEEK_SERVER: MariaDbOptions = { logBin: false, extraArgs: ["--innodb-flush-log-at-trx-commit=0"] };

/** An ODS table as the ROS templates create it. */
export interface DeployedTable {
  readonly name: string;
  readonly columns: readonly { name: string; type: string }[];
  readonly partitions: readonly { name: string; type: string }[];
}

/** One table of a DI job: where it is read and written, with which condition. */
export interface DeployedDiTable {
  readonly source: string;
  readonly target: string;
  /** Partition column -> value template (`${bizdate}`), in partition order. */
  readonly partitionValues: readonly [string, string][];
  /** MySQL WHERE of the incremental runs; absent for a Full job. */
  readonly where?: string;
}

export interface DeployedDiJob {
  readonly name: string;
  /** Every run is a full load (migrationType Full); else only the first. */
  readonly alwaysFull: boolean;
  readonly cron: string;
  readonly parameters: string;
  readonly tables: readonly DeployedDiTable[];
}

export interface DeployedNode {
  readonly name: string;
  readonly cron: string;
  readonly parameters: Readonly<Record<string, string>>;
  readonly script: string;
  /** `Immediately`: also runs once right after deploy. */
  readonly instanceMode: string;
}

export interface Deployed {
  readonly odsTables: readonly DeployedTable[];
  readonly diJobs: readonly DeployedDiJob[];
  readonly nodes: readonly DeployedNode[];
  /** Realtime metric queries by id (sql/maxcompute/realtime/metrics/<id>.sql). */
  readonly metrics: Readonly<Record<string, string>>;
  /** Tables DTS syncs (those with a `<t>_realtime` view node). */
  readonly realtimeTables: readonly string[];
}

interface PlannedInputs {
  readonly type: string;
  readonly inputs: Record<string, unknown>;
}

/** The golden plans of the example stacks (tests/support/plan-matrix.ts GOLDEN_DIR, not imported: it loads the whole program). */
const GOLDEN_PLANS = path.join(ROOT, "tests", "golden", "plans");

/** The SQL a stack deploys, from its recorded plan. @default the prod example at mature with DTS */
export function deployedSql(planFile = "prod-mature-dts.json"): Deployed {
  const plan = JSON.parse(fs.readFileSync(path.join(GOLDEN_PLANS, planFile), "utf8")) as { resources: PlannedInputs[] };
  const of = (type: string): Record<string, unknown>[] => plan.resources.filter((r) => r.type === type).map((r) => r.inputs);
  const odsTables: DeployedTable[] = of("alicloud:ros/stack:Stack").flatMap((s) => {
    const template = JSON.parse(String(s.templateBody)) as { Resources: Record<string, { Type: string; Properties: unknown }> };
    return Object.values(template.Resources)
      .filter((r) => r.Type === "ALIYUN::MaxCompute::Table")
      .map((r) => {
        const p = r.Properties as { Name: string; Schema: { Columns: { Name: string; Type: string }[]; Partitions?: { Name: string; Type: string }[] } };
        const cols = (xs: { Name: string; Type: string }[] = []): { name: string; type: string }[] => xs.map((x) => ({ name: x.Name, type: x.Type }));
        return { name: p.Name, columns: cols(p.Schema.Columns), partitions: cols(p.Schema.Partitions) };
      });
  });
  const diJobs: DeployedDiJob[] = of("alicloud:dataworks/diJob:DiJob").map((j) => {
    type Rule = { ruleName: string; ruleActionType: string; ruleExpression: string };
    const rules = new Map((j.transformationRules as Rule[]).map((r) => [r.ruleName, r]));
    const mappings = j.tableMappings as {
      sourceObjectSelectionRules: { objectType: string; expression: string }[];
      transformationRules: { ruleName: string }[];
    }[];
    let cron = "";
    const tables = mappings.map((m) => {
      const source = m.sourceObjectSelectionRules.find((r) => r.objectType === "Table")!.expression;
      const applied = m.transformationRules.map((r) => rules.get(r.ruleName)!);
      const expr = (action: string): Record<string, unknown> | undefined => {
        const r = applied.find((x) => x.ruleActionType === action);
        return r ? (JSON.parse(r.ruleExpression) as Record<string, unknown>) : undefined;
      };
      cron = String(expr("DefineCycleScheduleSettings")!.cronExpress);
      const keys = expr("DefinePartitionKey")!.columns as string[];
      const values = new Map((expr("AddColumn")!.columns as { columnName: string; columnValue: string }[]).map((c) => [c.columnName, c.columnValue]));
      const where = expr("DefineIncrementalCondition")?.where as string | undefined;
      return {
        source,
        target: String(expr("Rename")!.expression).replace("${srcTableName}", source),
        partitionValues: keys.map((k) => [k, values.get(k)!] as [string, string]),
        where,
      };
    });
    const settings = j.jobSettings as { cycleScheduleSettings: { scheduleParameters: string } };
    return { name: String(j.jobName), alwaysFull: j.migrationType === "Full", cron, parameters: settings.cycleScheduleSettings.scheduleParameters, tables };
  });
  // Every inner node of every layer's workflow (and the per-node resources of older plans).
  const inner = of("pulumi-nodejs:dynamic/dataworks:DataWorksWorkflow").flatMap((w) => w.nodes as Record<string, unknown>[]);
  const nodes: DeployedNode[] = [...of("pulumi-nodejs:dynamic/dataworks:DataWorksNode"), ...inner].map((n) => ({
    name: String(n.name),
    cron: String(n.cron),
    parameters: n.parameters as Record<string, string>,
    script: String(n.script),
    instanceMode: String(n.instanceMode),
  }));
  const metricsDir = path.join(ROOT, "sql", "maxcompute", "realtime", "metrics");
  const metrics = Object.fromEntries(
    fs
      .readdirSync(metricsDir)
      .filter((f) => f.endsWith(".sql"))
      .map((f) => [f.replace(/\.sql$/, ""), fs.readFileSync(path.join(metricsDir, f), "utf8")]),
  );
  const realtimeTables = nodes.filter((n) => /_realtime$/.test(n.name)).map((n) => n.name.replace(/_realtime$/, ""));
  return { odsTables, diJobs, nodes, metrics, realtimeTables };
}

/** A load a DI job wrote. */
export interface LoadRun {
  readonly job: string;
  readonly table: string;
  /** `ds=20260302` / `ds=20260302/hh=05`. */
  readonly partition: string;
  readonly at: string;
  readonly full: boolean;
  readonly rows: number;
}

/** A node instance that ran. */
export interface NodeRun {
  readonly node: string;
  readonly at: string;
  readonly params: Readonly<Record<string, string>>;
  readonly error?: string;
}

/** A realtime metric evaluated at an instant. */
export interface Probe {
  readonly metric: string;
  readonly at: string;
  readonly rows: Record<string, unknown>[];
  /** When DTS started (its baseline): the rt_metrics node sees the changes since. Set on the rt_metrics_feed probes. */
  readonly since?: string;
}

/** The source, DTS, DI and the nodes over one MariaDB server; see the module comment. */
export class PipelineWeek {
  readonly loads: LoadRun[] = [];
  readonly nodeRuns: NodeRun[] = [];
  readonly probes: Probe[] = [];
  private readonly ran = new Set<string>();
  private next = 0;
  private recordId = 0;
  private clock = "";
  /** When DTS started (the baseline was taken). */
  private dtsStart = "";
  /** The last image of every realtime row, for the before image of its next change. */
  private readonly previous = new Map<string, Row>();

  private constructor(
    readonly week: Week,
    readonly deployed: Deployed,
    /** Connection to the MaxCompute project's database (`dateStrings`: DATETIME as text). */
    readonly mc: mysql.Connection,
    private readonly src: mysql.Connection,
    readonly srcDb: string,
  ) {}

  /** Creates the source (with the history before the week), the ODS tables, and starts DTS at `start`. */
  static async start(server: MariaDbInstance, week: Week, deployed: Deployed, name: string, start: string): Promise<PipelineWeek> {
    const admin = await server.admin();
    await admin.query(`DROP DATABASE IF EXISTS ${name}_src; DROP DATABASE IF EXISTS ${name}_mc; CREATE DATABASE ${name}_src; CREATE DATABASE ${name}_mc`);
    await admin.end();
    const connect = (database: string): Promise<mysql.Connection> =>
      mysql.createConnection({
        host: server.host,
        port: server.port,
        user: server.adminUser,
        password: server.adminPassword,
        database,
        multipleStatements: true,
        dateStrings: true,
      });
    const p = new PipelineWeek(week, deployed, await connect(`${name}_mc`), await connect(`${name}_src`), `${name}_src`);
    await p.src.query(fs.readFileSync(path.join(ROOT, "sql", "mysql", "photo_assistant.sql"), "utf8"));
    await p.commitUntil(start, false);
    for (const t of deployed.odsTables) await p.mcRun(renderCreateTable(asMaxComputeTable(t)));
    for (const table of deployed.realtimeTables) await p.startDts(table);
    await p.rememberBaseline();
    p.clock = start;
    p.dtsStart = start;
    return p;
  }

  async stop(): Promise<void> {
    await this.mc.end();
    await this.src.end();
  }

  /** Runs MaxCompute SQL in the project's database; with `now`, GETDATE() is that instant. Returns the last statement's rows. */
  async mcRun(script: string, params: Record<string, string> = {}, now?: string): Promise<Record<string, unknown>[]> {
    // One round trip per script: the server runs the statements in order and stops at the first error.
    const stmts = toMaria(script, params, { now });
    if (stmts.length === 0) return [];
    const [results] = await this.mc.query(stmts.join(";\n"));
    const last = stmts.length > 1 ? (results as unknown[])[stmts.length - 1] : results;
    return Array.isArray(last) ? (last as Record<string, unknown>[]) : [];
  }

  /** Rows of a query in the project's database. */
  async rows(sql: string, values: unknown[] = []): Promise<Record<string, unknown>[]> {
    const [rows] = await this.mc.query(sql, values);
    return rows as Record<string, unknown>[];
  }

  private dtsTable(table: string): DeployedTable {
    const daily = this.deployed.odsTables.find((t) => t.name === `ods_${table}_d`);
    if (!daily) throw new Error(`no daily ODS table for realtime table ${table}`);
    return daily;
  }

  /** DTS's structure and full initialization: `<t>_base` with the source's rows, an empty `<t>_log`. */
  private async startDts(table: string): Promise<void> {
    const cols = this.dtsTable(table).columns;
    const log = [
      { name: "record_id", type: "STRING" },
      { name: "operation_flag", type: "STRING" },
      { name: "utc_timestamp", type: "BIGINT" },
      { name: "before_flag", type: "STRING" },
      { name: "after_flag", type: "STRING" },
      ...cols,
    ];
    const minute = ["year", "month", "day", "hour", "minute"].map((p) => ({ name: `modifytime_${p}`, type: "STRING" }));
    await this.mcRun(renderCreateTable(asMaxComputeTable({ name: `${table}_base`, columns: cols, partitions: [] })));
    await this.mcRun(renderCreateTable(asMaxComputeTable({ name: `${table}_log`, columns: log, partitions: minute })));
    await this.mc.query(`INSERT INTO \`${table}_base\` SELECT ${cols.map((c) => `\`${c.name}\``).join(", ")} FROM ${this.srcDb}.\`${table}\``);
  }

  /** Applies the commits up to `instant` to the source and, when DTS runs, to the `_log` tables. */
  private async commitUntil(instant: string, dts = true): Promise<void> {
    const stmts: string[] = [];
    const logs: string[] = [];
    const events = this.week.events;
    while (this.next < events.length && events[this.next].at <= instant) {
      const e = events[this.next++];
      stmts.push(sourceStatement(this.src, e));
      if (dts && this.deployed.realtimeTables.includes(e.table)) logs.push(...this.logImages(e));
    }
    if (stmts.length > 0) await this.src.query(stmts.join(";\n"));
    if (logs.length > 0) await this.mc.query(logs.join(";\n"));
  }

  /** The `_log` rows of one commit, as DTS writes them. */
  private logImages(e: SourceEvent): string[] {
    const cols = this.dtsTable(e.table).columns.map((c) => c.name);
    const key = `${e.table}/${e.row.id}`;
    const utc = secondsOf(e.at) - 8 * 3600;
    const partition = wallClock(utc);
    const parts = [partition.slice(0, 4), partition.slice(5, 7), partition.slice(8, 10), partition.slice(11, 13), partition.slice(14, 16)];
    const image = (rid: number, op: string, before: string, after: string, row: Row): string =>
      this.mc.format(`INSERT INTO \`${e.table}_log\` VALUES (?)`, [[String(rid), op, utc, before, after, ...cols.map((c) => row[c] ?? null), ...parts]]);
    const prior = this.previous.get(key);
    const out: string[] = [];
    const rid = ++this.recordId;
    if (e.op === "insert") out.push(image(rid, "I", "N", "Y", e.row));
    else if (e.op === "update") out.push(image(rid, "U", "Y", "N", prior ?? e.row), image(rid, "U", "N", "Y", e.row));
    else out.push(image(rid, "D", "Y", "N", prior ?? e.row));
    if (e.op === "delete") this.previous.delete(key);
    else this.previous.set(key, e.row);
    return out;
  }

  /** Remembers the rows as of DTS's start (the baseline), so the first change's before image is right. */
  private async rememberBaseline(): Promise<void> {
    for (const table of this.deployed.realtimeTables) {
      const [rows] = await this.src.query(`SELECT * FROM \`${table}\``);
      for (const r of rows as Row[]) this.previous.set(`${table}/${r.id}`, r);
    }
  }

  /**
   * Runs one DI job instance at `at`: every table's rows (all on a full run, else those matching the
   * incremental condition) into the partition its values name, overwriting it. `cyctime` is the
   * instance's scheduled time, earlier than `at` for a backfill (DataWorks 补数据).
   */
  async runDiJob(job: DeployedDiJob, at: string, cyctime = at): Promise<void> {
    await this.commitUntil(at);
    const full = job.alwaysFull || !this.ran.has(job.name);
    this.ran.add(job.name);
    const params = parameterValues(job.parameters, cyctime);
    for (const t of job.tables) {
      const target = this.deployed.odsTables.find((x) => x.name === t.target);
      if (!target) throw new Error(`DI job ${job.name} writes ${t.target}, which no ROS template creates`);
      const bind = (s: string): string => Object.entries(params).reduce((acc, [k, v]) => acc.split(`\${${k}}`).join(v), s);
      const spec = t.partitionValues.map(([k, v]) => `${k} = '${bind(v)}'`).join(", ");
      const where = !full && t.where ? `\nWHERE ${bind(t.where)}` : "";
      await this.mcRun(
        `INSERT OVERWRITE TABLE \`${t.target}\` PARTITION (${spec})\nSELECT ${target.columns.map((c) => `\`${c.name}\``).join(", ")}\nFROM ${this.srcDb}.\`${t.source}\`${where};\n`,
      );
      const [count] = await this.mc.query<mysql.RowDataPacket[]>(
        `SELECT COUNT(*) AS n FROM \`${t.target}\` WHERE ${t.partitionValues.map(([k, v]) => `${k} = '${bind(v)}'`).join(" AND ")}`,
      );
      const partition = t.partitionValues.map(([k, v]) => `${k}=${bind(v)}`).join("/");
      this.loads.push({ job: job.name, table: t.target, partition, at, full, rows: Number(count[0].n) });
    }
  }

  /** Runs one node instance at `at` with its parameters at `cyctime` (earlier for a backfill); a failing script is recorded, not thrown. */
  async runNode(node: DeployedNode, at: string, cyctime = at): Promise<NodeRun> {
    const params = parameterValues(node.parameters, cyctime);
    await this.commitUntil(at);
    let error: string | undefined;
    try {
      await this.mcRun(node.script, params, at);
    } catch (e) {
      error = (e as Error).message;
    }
    const run = { node: node.name, at, params, error };
    this.nodeRuns.push(run);
    return run;
  }

  /** Evaluates every realtime metric at `at`, and reads the rt_metrics node's feed when the plan has the node. */
  async probe(at: string): Promise<void> {
    await this.commitUntil(at);
    for (const [metric, sql] of Object.entries(this.deployed.metrics)) this.probes.push({ metric, at, rows: await this.mcRun(sql, {}, at) });
    if (this.deployed.nodes.some((n) => n.name === RT_METRICS_NODE)) {
      const rows = await this.rows(`SELECT computed_at, metric, dim, value FROM ${RT_FEED_TABLE} ORDER BY metric, dim`);
      this.probes.push({ metric: RT_FEED_TABLE, at, rows, since: this.dtsStart });
    }
  }

  /**
   * Runs the schedule from the current clock to `until`: at each instant the commits up to it, then
   * the DI jobs and the nodes scheduled at it; `probes` are metric evaluation instants.
   */
  async runUntil(until: string, probes: readonly string[] = []): Promise<void> {
    const from = this.clock;
    type Task = { at: string; order: number; run: () => Promise<unknown> };
    const tasks: Task[] = [];
    this.deployed.diJobs.forEach((j) => cronInstants(j.cron, from, until).forEach((at) => tasks.push({ at, order: 0, run: () => this.runDiJob(j, at) })));
    this.deployed.nodes.forEach((n) => {
      // A node every few minutes (the rt_metrics node: 2,016 runs a week at 5 minutes) runs at the probe
      // instants only, just before the probe reads what it wrote: each run computes "now" from scratch.
      if (parseQuartzCron(n.cron)?.kind === "minute") {
        probes.filter((at) => at >= from && at < until).forEach((at) => tasks.push({ at, order: 1, run: () => this.runNode(n, at) }));
        return;
      }
      if (n.instanceMode === "Immediately" && !this.ran.has(n.name)) {
        this.ran.add(n.name);
        tasks.push({ at: from, order: 1, run: () => this.runNode(n, from) });
      }
      cronInstants(n.cron, from, until).forEach((at) => tasks.push({ at, order: 1, run: () => this.runNode(n, at) }));
    });
    probes.filter((at) => at >= from && at < until).forEach((at) => tasks.push({ at, order: 2, run: () => this.probe(at) }));
    const sorted = tasks.map((t, i) => ({ ...t, i })).sort((a, b) => (a.at === b.at ? a.order - b.order || a.i - b.i : a.at < b.at ? -1 : 1));
    for (const t of sorted) await t.run();
    await this.commitUntil(wallClock(secondsOf(until) - 1));
    this.clock = until;
  }

  /** The deployed node or DI job called `name`. */
  node(name: string): DeployedNode {
    const n = this.deployed.nodes.find((x) => x.name === name);
    if (!n) throw new Error(`no node ${name}; nodes: ${this.deployed.nodes.map((x) => x.name).join(", ")}`);
    return n;
  }

  /** The DI job that writes `table`. */
  jobWriting(table: string): DeployedDiJob {
    const j = this.deployed.diJobs.find((x) => x.tables.some((t) => t.target === table));
    if (!j) throw new Error(`no DI job writes ${table}`);
    return j;
  }

  /** The current simulated instant (the end of the last runUntil). */
  get now(): string {
    return this.clock;
  }

  /** The instant the load that wrote `table`'s `partition` read the source (the latest such load). */
  loadedAt(table: string, partition: string): string {
    const load = [...this.loads].reverse().find((l) => l.table === table && l.partition === partition);
    if (!load) throw new Error(`no load wrote ${table} partition ${partition}`);
    return load.at;
  }
}

/** A ROS table definition as the DDL generator's input (comments and lifecycle do not matter to MariaDB). */
function asMaxComputeTable(t: DeployedTable): MaxComputeTable {
  const col = (c: { name: string; type: string }): { name: string; type: string; comment: string } => ({ ...c, comment: "" });
  return {
    name: t.name,
    comment: "",
    columns: t.columns.map(col),
    partitions: t.partitions.map(col),
    lifecycleDays: 1,
    sourceTable: t.name,
    layer: "daily",
    mappings: [],
  };
}

/** The source statement of one commit (explicit values: times are the commit's, not the server clock's). */
function sourceStatement(db: mysql.Connection, e: SourceEvent): string {
  const cols = Object.keys(e.row);
  if (e.op === "delete") return db.format(`DELETE FROM \`${e.table}\` WHERE id = ?`, [e.row.id]);
  if (e.op === "insert") return db.format(`INSERT INTO \`${e.table}\` (${cols.map((c) => `\`${c}\``).join(", ")}) VALUES (?)`, [cols.map((c) => e.row[c])]);
  return db.format(`UPDATE \`${e.table}\` SET ${cols.map((c) => `\`${c}\` = ?`).join(", ")} WHERE id = ?`, [...cols.map((c) => e.row[c]), e.row.id]);
}
