/**
 * A new user's first hour, as processes in a throwaway copy of the project: init a stack whose
 * source is a throwaway MariaDB, plan it, promote it to growth and to mature (binlog off: the
 * preflight fails with the fix and promote refuses; the server fixed: both pass), ddl against the
 * same server, the pull-request comment of the new stack against an empty base, and verify
 * without credentials. The "server fixed" step keeps the source's address: a TCP forwarder in
 * front of the servers is switched from the bad one to the good one, as a restarted server would.
 */
import * as fs from "fs";
import * as net from "net";
import * as path from "path";
import { MariaDbInstance, startMariaDb } from "./support/mariadb";
import { loadPhotoAssistant } from "./support/load-schema";
import { ProjectCopy, projectCopy, sh, STACK_FRAME } from "./support/project-copy";

const SYNC = { user: "pa_sync", password: "J0urney-pw" };
const GRANTS = `CREATE USER '${SYNC.user}'@'%' IDENTIFIED BY '${SYNC.password}';
  GRANT SELECT, SHOW VIEW ON \`photo_assistant\`.* TO '${SYNC.user}'@'%';
  GRANT REPLICATION CLIENT, REPLICATION SLAVE ON *.* TO '${SYNC.user}'@'%';
  GRANT CREATE, INSERT, UPDATE, DELETE ON \`dts\`.* TO '${SYNC.user}'@'%';
  GRANT CREATE, INSERT, UPDATE, DELETE ON \`test\`.* TO '${SYNC.user}'@'%';
  GRANT SLAVE MONITOR ON *.* TO '${SYNC.user}'@'%';`;

/** A TCP forwarder on a fixed port whose target can be switched. */
function forwarder(): Promise<{ port: number; target: { port: number }; close: () => Promise<void> }> {
  const target = { port: 0 };
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, "127.0.0.1");
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
      s.on("error", () => s.destroy());
    }
    client.pipe(upstream).pipe(client);
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({
        port: (server.address() as net.AddressInfo).port,
        target,
        close: () => new Promise((r) => (sockets.forEach((s) => s.destroy()), server.close(() => r()))),
      }),
    ),
  );
}

async function prepare(db: MariaDbInstance): Promise<void> {
  const admin = await db.admin();
  try {
    await admin.query("CREATE DATABASE photo_assistant");
    await admin.changeUser({ database: "photo_assistant" });
    await loadPhotoAssistant(admin);
    await admin.query(GRANTS);
  } finally {
    await admin.end();
  }
}

let copy: ProjectCopy;
let bad: MariaDbInstance;
let good: MariaDbInstance;
let fwd: Awaited<ReturnType<typeof forwarder>>;

beforeAll(async () => {
  copy = projectCopy("link", "pa-journey-");
  [bad, good, fwd] = await Promise.all([startMariaDb({ logBin: false, serverId: 7 }), startMariaDb({ serverId: 8 }), forwarder()]);
  await Promise.all([prepare(bad), prepare(good)]);
  fwd.target.port = bad.port;
}, 180_000);
afterAll(async () => {
  await Promise.all([bad?.stop(), good?.stop(), fwd?.close()]);
  copy?.remove();
});

const npm = (script: string, args: string, env: NodeJS.ProcessEnv = {}) => sh(`npm run -s ${script} -- ${args}`, copy.dir, env);
const stackFile = () => fs.readFileSync(path.join(copy.dir, "Pulumi.journey.yaml"), "utf8");
const pwd = { MYSQL_PWD: SYNC.password };

describe("a new stack, from init to verify", () => {
  it("init writes the stack with the source, marks what to decide, and prints the next steps", async () => {
    const r = await npm("init", `--stack journey --source mysql://${SYNC.user}@127.0.0.1:${fwd.port}/photo_assistant`);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^wrote Pulumi\.journey\.yaml \(from the built-in template\)\n/);
    expect(r.stdout).toContain("  pulumi config set --secret sourcePassword --stack journey\n");
    expect(r.stdout).toContain("  npm run plan -- --stack journey");
    expect(stackFile()).toContain(`    host: 127.0.0.1\n    port: ${fwd.port}\n    database: photo_assistant\n    user: pa_sync\n`);
    expect(stackFile()).toContain("    projectName: photo_analytics_journey\n");
    expect((stackFile().match(/# DECIDE/g) ?? []).length).toBe(5);
  });

  it("plan exits 0 and warns that the secret is a placeholder, naming the command", async () => {
    const r = await npm("plan", "--stack journey");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^photo-analytics: stack journey, stage initial, region cn-shanghai\n/);
    expect(r.stdout).toContain(
      'warning: photo-analytics:sourcePassword is the placeholder npm run init wrote: set it with "pulumi config set --secret sourcePassword --stack journey" before pulumi up',
    );
  });

  it("promote to growth needs no preflight and writes the stage", async () => {
    const r = await npm("promote", "--stack journey --to growth");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Promoted journey: initial -> growth");
    expect(stackFile()).toContain("photo-analytics:stage: growth");
  });

  it("with binlog off, the preflight fails with exit 2 and the fix; promote to mature refuses (exit 1) and writes nothing", async () => {
    const pre = await npm("preflight", "--stack journey --stage mature", pwd);
    expect(pre.code).toBe(2);
    expect(pre.stdout).toMatch(/\nFAIL {2}log-bin +log_bin = OFF\n +fix: my\.cnf:\n +fix: \[mysqld\]\n +fix: log_bin = mysql-bin\n/);
    const before = stackFile();
    const r = await npm("promote", "--stack journey --to mature", pwd);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("promote: the source preflight failed: fix what it reports above and run promote again; journey not changed\n");
    expect(r.stdout).toContain("checking the source pa_sync@127.0.0.1");
    expect(stackFile()).toBe(before);
  });

  it("promote without the password refuses and says how to run the preflight or skip it", async () => {
    const r = await npm("promote", "--stack journey --to mature");
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^promote: the source preflight needs the password of pa_sync@127\.0\.0\.1:\d+\/photo_assistant: set MYSQL_PWD .* or pass --skip-preflight/,
    );
    expect(r.stderr).not.toMatch(STACK_FRAME);
  });

  it("the server fixed (binlog on), the preflight passes and promote to mature writes the stage", async () => {
    fwd.target.port = good.port;
    const pre = await npm("preflight", "--stack journey --stage mature", pwd);
    expect(pre.stdout).toMatch(/\d+ passed, 0 failed/);
    expect(pre.code).toBe(0);
    const r = await npm("promote", "--stack journey --to mature", pwd);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("source preflight passed (pa_sync@127.0.0.1");
    expect(r.stdout).toContain("Promoted journey: growth -> mature");
    expect(stackFile()).toContain("photo-analytics:stage: mature");
  });

  it("ddl writes the MaxCompute DDL from the same server, and --check finds no drift", async () => {
    const w = await npm("ddl", "--stack journey --out sql-journey", pwd);
    expect(w.code).toBe(0);
    expect(w.stdout).toMatch(/^wrote sql-journey\/mysql\/photo_assistant\.schema\.json, .* \(7 tables, \d+ columns\)\n$/);
    const c = await npm("ddl", "--stack journey --out sql-journey --check", pwd);
    expect(c.code).toBe(0);
  });

  it("the pull request's comment shows the new stack created in full against an empty base", async () => {
    fs.writeFileSync(path.join(copy.dir, "empty.json"), '{"resources": []}\n');
    const diff = await sh("npm run -s plan -- --stack journey --format markdown --against empty.json > journey.md", copy.dir);
    expect(diff.code).toBe(2);
    const md = fs.readFileSync(path.join(copy.dir, "journey.md"), "utf8");
    expect(md).toMatch(/\+\d+ to create, ~0 to update, \+-0 to replace, -0 to delete, 0 unchanged/);
    const c = await npm("pr-comment", "--title '## plan' --out comment.md journey=journey.md");
    expect(c.code).toBe(0);
    expect(fs.readFileSync(path.join(copy.dir, "comment.md"), "utf8")).toContain("journey");
  });

  it("verify without credentials: cannot check, exit 2, one message", async () => {
    const home = fs.mkdtempSync(path.join(copy.dir, "home-"));
    const env = Object.fromEntries(
      Object.keys(process.env)
        .filter((k) => /^(ALIBABA_CLOUD|ALICLOUD)_/.test(k))
        .map((k) => [k, undefined]),
    );
    const r = await npm("verify", "--stack journey", { ...env, HOME: home, ALIBABA_CLOUD_ECS_METADATA_DISABLED: "true" });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^verify: cannot check: no Alibaba Cloud credentials: .*\n$/);
  });
});
