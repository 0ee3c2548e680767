/**
 * Throwaway MariaDB servers for tests: `mariadb-install-db` into a temp dir, then
 * `mariadbd --no-defaults` on a free port with the settings a test asks for (good or
 * deliberately bad), stopped by PID and deleted afterwards.
 *
 * `MYSQL_TEST_URL=mysql://root:pw@host:port/` points every test at an existing server
 * instead (then `external` is true and server flags cannot be chosen: tests that need a
 * deliberately bad server skip themselves).
 *
 * Usage: start once per test file in `beforeAll`, share across its tests, `stop()` in `afterAll`.
 */
import { ChildProcess, spawn, execFile } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import * as mysql from "mysql2/promise";

const execFileAsync = promisify(execFile);

/**
 * `--user=root` only when running as root (a root mariadbd refuses to start without it); as
 * another user (GitHub's runner) the server runs as that user, which owns the temp datadir.
 */
const RUN_AS = process.getuid?.() === 0 ? ["--user=root"] : [];

/** mariadbd: on PATH, else /usr/sbin (Debian and Ubuntu install it there, outside a user's PATH on some systems). */
const MARIADBD = fs.existsSync("/usr/sbin/mariadbd") ? "/usr/sbin/mariadbd" : "mariadbd";

/** Server settings a test chooses; every field maps to one `mariadbd` flag. */
export interface MariaDbOptions {
  /** `--server-id`. @default 1001 */
  readonly serverId?: number;
  /** `--log-bin` (true) or `--skip-log-bin` (false). @default true */
  readonly logBin?: boolean;
  /** `--binlog-format`. @default "ROW" */
  readonly binlogFormat?: "ROW" | "STATEMENT" | "MIXED";
  /** `--binlog-row-image`. @default "FULL" */
  readonly binlogRowImage?: "FULL" | "MINIMAL" | "NOBLOB";
  /** `--binlog-expire-logs-seconds`. @default 604800 (7 days) */
  readonly binlogExpireLogsSeconds?: number;
  /** `--log-slave-updates`. @default false */
  readonly logSlaveUpdates?: boolean;
  /** Any other `mariadbd` flags. */
  readonly extraArgs?: readonly string[];
}

/** A running server (or the external one from MYSQL_TEST_URL). */
export interface MariaDbInstance {
  readonly host: string;
  readonly port: number;
  /** An account with every privilege (root, empty password for harness servers). */
  readonly adminUser: string;
  readonly adminPassword: string;
  /** True when MYSQL_TEST_URL is used: flags were not applied, and stop() leaves the server running. */
  readonly external: boolean;
  /** `mysql://user[:password]@host:port/<database>`. Without `user`, the admin account. */
  url(database?: string, user?: string, password?: string): string;
  /** A new admin connection (caller closes it). */
  admin(database?: string): Promise<mysql.Connection>;
  /** Stops the server (SIGTERM, then SIGKILL after 20 s) and deletes its directory. */
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of running) {
    try {
      child.kill("SIGKILL");
    } catch {
      /* already gone */
    }
  }
});

/** A TCP port nothing listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

function externalInstance(raw: string): MariaDbInstance {
  const u = new URL(raw);
  const host = u.hostname;
  const port = Number(u.port || 3306);
  const adminUser = decodeURIComponent(u.username || "root");
  const adminPassword = decodeURIComponent(u.password);
  return makeInstance(host, port, adminUser, adminPassword, true, async () => undefined);
}

function makeInstance(host: string, port: number, adminUser: string, adminPassword: string, external: boolean, stop: () => Promise<void>): MariaDbInstance {
  return {
    host,
    port,
    adminUser,
    adminPassword,
    external,
    url(database = "", user?: string, password?: string) {
      const u = user ?? adminUser;
      const p = user === undefined ? adminPassword : (password ?? "");
      const auth = p ? `${encodeURIComponent(u)}:${encodeURIComponent(p)}` : encodeURIComponent(u);
      return `mysql://${auth}@${host}:${port}/${database}`;
    },
    admin(database?: string) {
      return mysql.createConnection({ host, port, user: adminUser, password: adminPassword, database, multipleStatements: true });
    },
    stop,
  };
}

/**
 * Starts a fresh server with `options`, or returns the MYSQL_TEST_URL server.
 * Takes about 3-4 s (install + start); rejects with the server's error log when it does not start.
 */
export async function startMariaDb(options: MariaDbOptions = {}): Promise<MariaDbInstance> {
  if (process.env.MYSQL_TEST_URL) return externalInstance(process.env.MYSQL_TEST_URL);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pa-mariadb-"));
  const datadir = path.join(dir, "data");
  // Each server gets its own tmpdir: bootstraps running side by side (jest workers) otherwise
  // collide on the same "#sql-temptable-*" files in /tmp.
  const tmpdir = path.join(dir, "tmp");
  fs.mkdirSync(tmpdir);
  try {
    await execFileAsync(
      "mariadb-install-db",
      ["--no-defaults", `--datadir=${datadir}`, ...RUN_AS, "--auth-root-authentication-method=normal", "--skip-test-db", `--tmpdir=${tmpdir}`],
      { env: { ...process.env, TMPDIR: tmpdir } },
    );
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(`mariadb-install-db failed in ${datadir}: ${(e as Error).message}`);
  }

  const port = await freePort();
  const errorLog = path.join(dir, "error.log");
  const args = [
    "--no-defaults",
    ...RUN_AS,
    `--datadir=${datadir}`,
    `--tmpdir=${tmpdir}`,
    `--port=${port}`,
    `--socket=${path.join(dir, "mysqld.sock")}`,
    "--bind-address=127.0.0.1",
    `--pid-file=${path.join(dir, "mariadbd.pid")}`,
    `--log-error=${errorLog}`,
    // Small footprint: the machine runs several of these next to jest.
    "--innodb-buffer-pool-size=32M",
    "--performance-schema=OFF",
    `--server-id=${options.serverId ?? 1001}`,
    options.logBin === false ? "--skip-log-bin" : `--log-bin=${path.join(datadir, "binlog")}`,
    `--binlog-format=${options.binlogFormat ?? "ROW"}`,
    `--binlog-row-image=${options.binlogRowImage ?? "FULL"}`,
    `--binlog-expire-logs-seconds=${options.binlogExpireLogsSeconds ?? 604800}`,
    options.logSlaveUpdates ? "--log-slave-updates=ON" : "--log-slave-updates=OFF",
    ...(options.extraArgs ?? []),
  ];
  const child = spawn(MARIADBD, args, { stdio: "ignore" });
  running.add(child);
  let exited = false;
  const exitPromise = new Promise<void>((resolve) => {
    child.once("exit", () => {
      exited = true;
      running.delete(child);
      resolve();
    });
  });

  const cleanup = async (): Promise<void> => {
    if (!exited) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
      await exitPromise;
      clearTimeout(timer);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (exited) {
      const log = fs.existsSync(errorLog) ? fs.readFileSync(errorLog, "utf8").slice(-2000) : "(no error log)";
      fs.rmSync(dir, { recursive: true, force: true });
      throw new Error(`mariadbd ${args.join(" ")} exited during start:\n${log}`);
    }
    try {
      const c = await mysql.createConnection({ host: "127.0.0.1", port, user: "root", password: "", connectTimeout: 1000 });
      await c.end();
      break;
    } catch (e) {
      if (Date.now() > deadline) {
        await cleanup();
        throw new Error(`mariadbd on port ${port} not ready after 30 s: ${(e as Error).message}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return makeInstance("127.0.0.1", port, "root", "", false, cleanup);
}
