import { loadStackConfig, readStackFile } from "../project-files";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main as plan } from "../cli/plan";
import { main as promote } from "../cli/promote";

async function run(fn: (argv: string[]) => Promise<number>, argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const o = jest.spyOn(process.stdout, "write").mockImplementation((s: string | Uint8Array) => ((out += String(s)), true));
  const e = jest.spyOn(process.stderr, "write").mockImplementation((s: string | Uint8Array) => ((err += String(s)), true));
  try {
    const code = await fn(argv);
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "pa-plan-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("npm run plan", () => {
  it("prints the dev stack as a tree and exits 0", async () => {
    const r = await run(plan, ["--stack", "dev"]);
    expect(r.code).toBe(0);
    expect(r.err).toBe("");
    const lines = r.out.split("\n");
    expect(lines[0]).toBe("photo-analytics: stack dev, stage initial, region cn-shanghai");
    expect(lines[1]).toBe("26 cloud resources in 7 components; 11 protected (data)");
    expect(r.out).toContain("├─ analytics-warehouse (photo-analytics:maxcompute:Warehouse)");
    expect(r.out).toContain("└─ analytics-tracking (photo-analytics:sls:Tracking)");
    expect(r.out).toContain("├─ analytics-warehouse-project (alicloud:maxcompute/project:Project) [protected, retained on delete]");
    // The README's example of this output (abridged: its tree and "..." lines aside) quotes it line for line.
    const readme = fs.readFileSync("README.md", "utf8");
    const example = /`\.\/scripts\/plan\.sh` prints \(abridged\):\n\n```\n([\s\S]*?)```/.exec(readme)![1];
    const quoted = example.split("\n").filter((l) => l !== "" && !/[├└│]|\.\.\./.test(l) && !l.startsWith("analytics ("));
    expect(quoted.length).toBeGreaterThanOrEqual(6);
    for (const l of quoted) expect(lines).toContain(l);
  });

  it("--format json is stable, sorted, with the documented fields, and masks secrets", async () => {
    const a = await run(plan, ["--stack", "prod", "--stage", "mature", "--format", "json"]);
    const b = await run(plan, ["--stack", "prod", "--stage", "mature", "--format", "json"]);
    expect(a.code).toBe(0);
    expect(a.out).toBe(b.out);
    const p = JSON.parse(a.out);
    expect(Object.keys(p)).toEqual(["cost", "outputs", "policies", "region", "resources", "stack", "stage", "warnings"]);
    expect(p.policies.every((v: { result: string }) => v.result !== "fail")).toBe(true);
    expect([p.stack, p.stage, p.region]).toEqual(["prod", "mature", "cn-shanghai"]);
    const urns = p.resources.map((r: { urn: string }) => r.urn);
    expect(urns).toEqual([...urns].sort());
    for (const r of p.resources) {
      expect(Object.keys(r)).toEqual([
        "aliases",
        "component",
        "deleteBeforeReplace",
        "dependsOn",
        "ignoreChanges",
        "inputDependencies",
        "inputs",
        "name",
        "parent",
        "protect",
        "replaceOnChanges",
        "retainOnDelete",
        "type",
        "urn",
      ]);
    }
    const job = p.resources.find((r: { type: string }) => r.type === "alicloud:dts/synchronizationJob:SynchronizationJob");
    expect(job.inputs.sourceEndpointPassword).toBe("[secret]");
    expect(job.inputs.destinationEndpointPassword).toBe("[secret]");
    // The stack file's ciphertexts never reach the output.
    const prodFile = fs.readFileSync("Pulumi.prod.yaml", "utf8");
    for (const m of prodFile.matchAll(/secure: (\S+)/g)) expect(a.out).not.toContain(m[1]);
  });

  it("--format markdown has the summary and a Mermaid data-flow diagram", async () => {
    const r = await run(plan, ["--stack", "prod", "--stage", "growth", "--format", "markdown"]);
    expect(r.out).toContain("### photo-analytics `prod`: stage `growth` (cn-shanghai)");
    expect(r.out).toContain("```mermaid\nflowchart LR");
    // Table by table (lib/plan/data-flow.ts): the hourly load and the tables it writes.
    expect(r.out).toMatch(/\n {2}n\d+\{\{"DataWorks DI hourly"\}\}\n/);
    expect(r.out).toMatch(/\n {2}n\d+\["ods_page_views_h"\]\n/);
  });

  it("fails on an invalid config with every message on stderr, no stack trace, nothing on stdout", async () => {
    const f = path.join(tmp, "bad.yaml");
    fs.writeFileSync(f, "config:\n  alicloud:region: cn-shanghai\n  photo-analytics:stage: mature2\n  photo-analytics:sourcePassword: plain-text-pw\n");
    const r = await run(plan, ["--stack", "bad", "--config-file", f]);
    expect(r.code).toBe(1);
    expect(r.out).toBe("");
    expect(r.err).toContain('photo-analytics:stage: "mature2" is not allowed; did you mean "mature"?');
    expect(r.err).toContain("photo-analytics:sourcePassword: is stored in plain text");
    expect(r.err).toContain("photo-analytics:source: required, not set");
    expect(r.err).not.toContain("plain-text-pw");
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it("fails with exit 1 on a missing stack file and on a bad --stage", async () => {
    const r = await run(plan, ["--stack", "nosuch"]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/Pulumi\.nosuch\.yaml: cannot read the stack settings file \(ENOENT\)/);
    expect((await run(plan, ["--stack", "dev", "--stage", "huge"])).code).toBe(1);
  });

  it("diffs against another stage: exit 2 with changes, 0 without", async () => {
    const r = await run(plan, ["--stack", "prod", "--stage", "mature", "--against-stage", "growth", "--format", "json"]);
    expect(r.code).toBe(2);
    const d = JSON.parse(r.out);
    // DTS instance, job and monitor rule, the RealtimeSync and realtime LayerNodes components, the realtime layer's three
    // workflows (hourly: 3 x view and snapshot; daily: 3 compactions; every 5 minutes: rt_metrics) and its Error alert rule,
    // and the realtime metrics in SLS: the import, its reader (RAM user, AccessKey, MaxCompute role and grant) and 3 alerts.
    expect(d.summary).toEqual({ created: 17, updated: 0, replaced: 0, deleted: 0, dropped: 0, unchanged: 41, errors: 0 });
    expect(d.errors).toEqual([]);
    expect(d.fromStage).toBe("growth");
    expect(d.toStage).toBe("mature");
    const same = await run(plan, ["--stack", "prod", "--against-stage", "initial"]);
    expect(same.code).toBe(0);
    expect(same.out).toContain("+0 to create, ~0 to update, +-0 to replace, -0 to delete, 34 unchanged");
  });

  it("diffs against a saved plan and reports replacement-forcing changes", async () => {
    const saved = await run(plan, ["--stack", "dev", "--format", "json"]);
    const f = path.join(tmp, "base.json");
    const p = JSON.parse(saved.out);
    const job = p.resources.find((r: { name: string }) => r.name === "analytics-sync-daily-incremental");
    job.inputs.migrationType = "Full";
    job.inputs.description = "old";
    fs.writeFileSync(f, JSON.stringify(p));
    const r = await run(plan, ["--stack", "dev", "--against", f]);
    expect(r.code).toBe(2);
    expect(r.out).toContain("+0 to create, ~0 to update, +-1 to replace, -0 to delete, 32 unchanged");
    expect(r.out).toContain("  +- analytics-sync-daily-incremental (alicloud:dataworks/diJob:DiJob)\n      migrationType (forces replacement)");
    const md = await run(plan, ["--stack", "dev", "--against", f, "--format", "markdown"]);
    expect(md.out).toContain("| **replace** | `analytics-sync-daily-incremental` | `alicloud:dataworks/diJob:DiJob` |");
    expect(md.out).toContain("<details><summary>Changed inputs</summary>");
  });
});

describe("npm run promote", () => {
  it("writes the stage, keeps comments and other values, and equals `pulumi config set`", async () => {
    const f = path.join(tmp, "Pulumi.dev.yaml");
    const original = fs.readFileSync("Pulumi.dev.yaml", "utf8");
    fs.writeFileSync(f, original);
    const r = await run((a) => promote(a), ["--stack", "dev", "--to", "growth", "--config-file", f]);
    expect(r.code).toBe(0);
    // The hourly DI job of the tables growth makes hourly and its run, the BatchSync, the hourly layer's workflow
    // (3 aggregates) and its LayerNodes, and the layer's error and deadline alert rules.
    expect(r.out).toContain("+7 to create, ~0 to update, +-0 to replace, -0 to delete, 33 unchanged");
    const written = fs.readFileSync(f, "utf8");
    expect(written).toBe(original.replace("photo-analytics:stage: initial", "photo-analytics:stage: growth"));
    // `pulumi config set photo-analytics:stage growth` changes the same value: same program input.
    const viaSet = readStackFile("Pulumi.dev.yaml");
    const setValues = { ...viaSet, values: { ...viaSet.values, "photo-analytics:stage": "growth" } };
    expect(loadStackConfig(readStackFile(f))).toEqual(loadStackConfig(setValues));
  });

  /** The prod example with a source that refuses connections at once. */
  const unreachableProd = (name: string, extra: (t: string) => string = (t) => t) => {
    const f = path.join(tmp, `Pulumi.${name}.yaml`);
    const text = extra(
      fs
        .readFileSync("Pulumi.prod.yaml", "utf8")
        .replace("host: rm-uf6wjk5xxxxxxxxxx.mysql.rds.aliyuncs.com", "host: 127.0.0.1")
        .replace("port: 3306", "port: 1"),
    );
    fs.writeFileSync(f, text);
    return { f, text };
  };
  const withEnv = async <T>(env: Record<string, string | undefined>, fn: () => Promise<T>): Promise<T> => {
    const old = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
    Object.assign(process.env, env);
    for (const [k, v] of Object.entries(env)) if (v === undefined) delete process.env[k];
    try {
      return await fn();
    } finally {
      for (const [k, v] of Object.entries(old))
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
    }
  };

  it("fails when promoting to a DTS stage and the source is unreachable: exit 1, the stack file untouched, how to run the preflight or skip it", async () => {
    const { f, text } = unreachableProd("prod");
    const r = await withEnv({ MYSQL_PWD: "x" }, () => run((a) => promote(a), ["--stack", "prod", "--to", "mature", "--config-file", f]));
    expect(r.out).toContain("The mature stage reads the binlog (DTS): checking the source pa_sync@127.0.0.1:1/photo_assistant first.");
    expect(r.out).toContain("FAIL");
    expect(r.err).toBe(
      'promote: the source preflight could not run against pa_sync@127.0.0.1:1/photo_assistant (see the connection check above): run promote from inside the source\'s network (a host that reaches it, with MYSQL_PWD set), or pass --skip-preflight to write the stage without it (then run "npm run preflight -- --stack prod --stage mature" before pulumi up); prod not changed\n',
    );
    expect(r.code).toBe(1);
    expect(fs.readFileSync(f, "utf8")).toBe(text);
  });

  it("fails when MYSQL_PWD is unset, before connecting; --skip-preflight writes the stage and says so", async () => {
    const { f, text } = unreachableProd("prod-nopwd");
    const r = await withEnv({ MYSQL_PWD: undefined }, () => run((a) => promote(a), ["--stack", "prod", "--to", "mature", "--config-file", f]));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /^promote: the source preflight needs the password of pa_sync@127\.0\.0\.1:1\/photo_assistant: set MYSQL_PWD \(or pass --password-stdin\)/,
    );
    expect(r.out).not.toContain("checking the source");
    expect(fs.readFileSync(f, "utf8")).toBe(text);
    const skipped = await withEnv({ MYSQL_PWD: undefined }, () =>
      run((a) => promote(a), ["--stack", "prod", "--to", "mature", "--skip-preflight", "--config-file", f]),
    );
    expect(skipped.code).toBe(0);
    expect(skipped.out).toContain(
      'source preflight SKIPPED (--skip-preflight): run "npm run preflight -- --stack prod --stage mature" where the source is reachable before pulumi up\nPromoted prod: initial -> mature',
    );
    expect(fs.readFileSync(f, "utf8")).toContain("photo-analytics:stage: mature");
  });

  it("shows every warning the plan shows (mature fits the DataWorks Basic edition's daily OpenAPI limit: no edition warning)", async () => {
    const { f } = unreachableProd("prod-warn");
    const r = await withEnv({ MYSQL_PWD: undefined }, () =>
      run((a) => promote(a), ["--stack", "prod", "--to", "mature", "--skip-preflight", "--dry-run", "--config-file", f]),
    );
    expect(r.code).toBe(0);
    const planned = await run(plan, ["--stack", "prod", "--stage", "mature", "--config-file", f, "--format", "json"]);
    const warnings = JSON.parse(planned.out).warnings as string[];
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings.filter((w) => w.startsWith("DataWorks basic edition allows 100 OpenAPI calls a day"))).toEqual([]);
    for (const w of warnings) expect(r.out).toContain(`  warning: ${w}`);
  });

  it("promoting to a stage whose engine reads the binlog through DataWorks realtime sync runs the preflight too", async () => {
    const { f } = unreachableProd("prod-flink", (t) =>
      t.replace(
        "    engine: dts\n",
        "    engine: dataworks-flink\n    flink:\n      vpcId: vpc-test1\n      vswitchIds: [vsw-test1]\n      zoneId: cn-shanghai-l\n      ossBucket: photo-analytics-flink-state\n",
      ),
    );
    const r = await withEnv({ MYSQL_PWD: "x" }, () => run((a) => promote(a), ["--stack", "prod", "--to", "mature", "--dry-run", "--config-file", f]));
    expect(r.out).toContain(
      "The mature stage reads the binlog (DataWorks realtime sync (Flink)): checking the source pa_sync@127.0.0.1:1/photo_assistant first.",
    );
    expect(r.code).toBe(1);
  });

  it("does nothing when already at the stage, and --dry-run writes nothing", async () => {
    const f = path.join(tmp, "Pulumi.dry.yaml");
    fs.writeFileSync(f, fs.readFileSync("Pulumi.dev.yaml", "utf8"));
    expect((await run((a) => promote(a), ["--stack", "dev", "--to", "initial", "--config-file", f])).out).toBe(
      "dev is already at stage initial; nothing to do\n",
    );
    const r = await run((a) => promote(a), ["--stack", "dev", "--to", "growth", "--dry-run", "--config-file", f]);
    expect(r.code).toBe(0);
    expect(fs.readFileSync(f, "utf8")).toBe(fs.readFileSync("Pulumi.dev.yaml", "utf8"));
  });

  it("refuses a target stage whose config is invalid, writing nothing", async () => {
    const f = path.join(tmp, "Pulumi.nokeys.yaml");
    // Half an AccessKey pair: DTS would write with a pair the config does not complete.
    const text = `${fs.readFileSync("Pulumi.dev.yaml", "utf8")}  photo-analytics:maxcomputeAccessKeyId:\n    secure: v1:AAAA:BBBB\n`;
    fs.writeFileSync(f, text);
    const r = await run((a) => promote(a), ["--stack", "dev", "--to", "mature", "--config-file", f]);
    expect(r.code).toBe(1);
    expect(r.err).toContain("photo-analytics:maxcomputeAccessKeySecret not set");
    expect(fs.readFileSync(f, "utf8")).toBe(text);
  });
});

describe("plan diff details", () => {
  it("URNs carry the whole chain of parent types, as Pulumi's engine builds them", async () => {
    const r = await run(plan, ["--stack", "dev", "--format", "json"]);
    const p = JSON.parse(r.out);
    const project = p.resources.find((x: { name: string }) => x.name === "analytics-warehouse-project");
    expect(project.urn).toBe(
      "urn:pulumi:dev::photo-analytics::photo-analytics:index:Platform$photo-analytics:maxcompute:Warehouse$alicloud:maxcompute/project:Project::analytics-warehouse-project",
    );
    expect(project.parent).toBe("urn:pulumi:dev::photo-analytics::photo-analytics:index:Platform$photo-analytics:maxcompute:Warehouse::analytics-warehouse");
    expect(p.resources.find((x: { name: string }) => x.name === "analytics").parent).toBeNull();
  });

  it("ignores changes under ignoreChanges; a changed ROS table is an error twice over: the template change is dropped, and ROS cannot update the table", async () => {
    const saved = JSON.parse((await run(plan, ["--stack", "dev", "--format", "json"])).out);
    const job = saved.resources.find((x: { name: string }) => x.name === "analytics-sync-daily-incremental");
    job.inputs.jobSettings.runtimeSettings = [{ name: "runtime.offline.concurrent", value: "4" }];
    const daily = saved.resources.find((x: { name: string }) => x.name === "analytics-warehouse-ods-daily");
    const tpl = JSON.parse(daily.inputs.templateBody);
    tpl.Resources.OdsUsersD.Properties.Lifecycle = 30;
    tpl.Resources.OdsGoneD = { Type: "ALIYUN::MaxCompute::Table", Properties: { Name: "ods_gone_d" } };
    daily.inputs.templateBody = JSON.stringify(tpl);
    const f = path.join(tmp, "tables.json");
    fs.writeFileSync(f, JSON.stringify(saved));
    const r = await run(plan, ["--stack", "dev", "--against", f]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/\+0 to create, ~0 to update, \+-0 to replace, -0 to delete, \d+ unchanged; !1 dropped, 2 errors\n/);
    expect(r.out).toContain("2 ERRORS: this change does not deploy as planned");
    expect(r.out).toContain(
      "ERROR: analytics-warehouse-ods-daily (alicloud:ros/stack:Stack): the provider would drop the change to templateBody: pulumi up reports an update and the cloud keeps the old value (templateBody: the Update function calls UpdateStack only when",
    );
    expect(r.out).toContain("ERROR: analytics-warehouse-ods-daily: ALIYUN::MaxCompute::Table OdsUsersD changes Lifecycle, which ROS cannot update in place");
    expect(r.out).toContain("  ! analytics-warehouse-ods-daily (alicloud:ros/stack:Stack)\n      templateBody<Resources.OdsGoneD> (dropped by the provider)");
    expect(r.out).toContain(
      "WARNING: analytics-warehouse-ods-daily: ALIYUN::MaxCompute::Table OdsGoneD leaves the template; ROS keeps it (DeletionPolicy Retain)",
    );
    expect(r.err).toContain("plan: 2 changes would not deploy as planned:");
    const json = JSON.parse((await run(plan, ["--stack", "dev", "--against", f, "--format", "json"])).out);
    expect(json.errors.map((e: { kind: string; name: string }) => [e.kind, e.name]).sort()).toEqual([
      ["data-replaced", "analytics-warehouse-ods-daily"],
      ["dropped-update", "analytics-warehouse-ods-daily"],
    ]);
    expect(json.summary).toMatchObject({ dropped: 1, errors: 2, updated: 0 });
    const md = await run(plan, ["--stack", "dev", "--against", f, "--format", "markdown"]);
    expect(md.out).toContain("> :x: **error**: analytics-warehouse-ods-daily (alicloud:ros/stack:Stack): the provider would drop");
    expect(md.out).toContain("| **dropped** | `analytics-warehouse-ods-daily` | `alicloud:ros/stack:Stack` |");
  });

  it("fails with exit 1 when the DTS job's reserve changes (no Update branch sends it), printing the reason", async () => {
    const saved = JSON.parse((await run(plan, ["--stack", "prod", "--stage", "mature", "--format", "json"])).out);
    const job = saved.resources.find((x: { type: string }) => x.type === "alicloud:dts/synchronizationJob:SynchronizationJob");
    const reserve = JSON.parse(job.inputs.reserve);
    job.inputs.reserve = JSON.stringify({ ...reserve, targetTableMode: reserve.targetTableMode === "0" ? "2" : "0" });
    const f = path.join(tmp, "reserve.json");
    fs.writeFileSync(f, JSON.stringify(saved));
    const r = await run(plan, ["--stack", "prod", "--stage", "mature", "--against", f]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/ERROR: \S+ \(alicloud:dts\/synchronizationJob:SynchronizationJob\): the provider would drop the change to reserve/);
    expect(r.out).toContain("resource_alicloud_dts_synchronization_job.go @28ee93bc63fa0e5f919a21fc1711bde8c45d7b44 (v1.289.0");
    expect(r.err).toContain("plan: 1 change would not deploy as planned:");
  });
});
