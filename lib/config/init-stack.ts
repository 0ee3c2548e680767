/**
 * The text of a new stack settings file (`npm run init`, cli/init.ts): from the built-in
 * template or from another stack's file, with the names derived from the new stack's name,
 * every key a user must decide marked `DECIDE`, and each secret a placeholder that the offline
 * plan accepts with a warning and `pulumi up` refuses (lib/config/stack-file.ts).
 */
import YAML, { Document, isMap, isScalar, YAMLMap } from "yaml";
import { initSecretPlaceholder, secretSetCommand } from "./stack-file";
import { PROJECT, SECRET_KEYS, Stage } from "./types";

/** Pulumi stack names: letters, digits, `-`, `_`, `.` (we also need a letter first for derived names). */
export const STACK_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_.-]{0,99}$/;

/** The MaxCompute project (and so DataWorks workspace and SLS project) name of a stack: `photo_analytics_<stack>`. */
export function derivedProjectName(stack: string): string {
  const slug = stack
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
  return `photo_analytics_${slug}`.slice(0, 28).replace(/_+$/, "");
}

export interface InitOptions {
  readonly stack: string;
  /** @default the from-stack's stage, else "initial" */
  readonly stage?: Stage;
  /** The source, parsed from `--source mysql://user@host:port/db`. */
  readonly source?: { readonly host: string; readonly port: number; readonly user: string; readonly database: string };
  /** @default the from-stack's region, else "cn-shanghai" */
  readonly region?: string;
  /** Another stack's file to start from, and its name. */
  readonly from?: { readonly stack: string; readonly text: string };
}

/** What a user must still decide or set: shown by init and marked in the file. */
export interface InitResult {
  readonly text: string;
  /** `key: value` of each DECIDE-marked key, in file order. */
  readonly decide: readonly { key: string; value: string; why: string }[];
  /** The secret keys holding the placeholder. */
  readonly secrets: readonly string[];
}

/** The built-in template: the dev example's shape with names left to derive. */
const TEMPLATE = `config:
  alicloud:region: cn-shanghai
  ${PROJECT}:stage: initial
  ${PROJECT}:source:
    host: mysql.internal.example
    port: 3306
    database: photo_assistant
    user: pa_sync
    instanceType: OTHER
  ${PROJECT}:sourcePassword:
    secure: placeholder
  ${PROJECT}:warehouse:
    projectName: photo_analytics
    lifecycleDays: 365
    # The lifecycle the tables were created with (their ROS definitions): keep it when changing
    # lifecycleDays, which reaches the tables with ALTER TABLE ... SET LIFECYCLE.
    tablesCreatedWithLifecycleDays: 365
  ${PROJECT}:dataworks:
    resourceGroup: Serverless_res_group_0001
  ${PROJECT}:budget:
    monthlyCny: 200
`;

/** As the stack files are written: long lines kept, flow lists as `[a, b]`. */
const TO_STRING = { lineWidth: 0, flowCollectionPadding: false } as const;

/** Marks `map.key` DECIDE (a comment on the line above the key). */
function markIn(map: YAMLMap, key: string, text: string): void {
  const p = map.items.find((x) => isScalar(x.key) && x.key.value === key);
  if (p && isScalar(p.key)) p.key.commentBefore = ` DECIDE${text.startsWith("(") ? " " : ": "}${text}`;
}

/** Builds the new stack's file text (see the file comment). Throws naming the problem. */
export function initStackText(o: InitOptions): InitResult {
  if (!STACK_NAME_PATTERN.test(o.stack)) {
    throw new Error(`stack name "${o.stack}" is not allowed; expected a letter, then letters, digits, "_", "." or "-" (at most 100)`);
  }
  const doc: Document = YAML.parseDocument(o.from?.text ?? TEMPLATE);
  if (doc.errors.length > 0) throw new Error(`${o.from?.stack ?? "template"}: not valid YAML: ${doc.errors[0].message.split("\n")[0]}`);
  const config = doc.get("config");
  if (!isMap(config)) throw new Error(`${o.from?.stack}: "config" must be a mapping`);
  const decide: { key: string; value: string; why: string }[] = [];
  const pair = (key: string) => config.items.find((p) => isScalar(p.key) && (p.key.value === key || p.key.value === key.replace(`${PROJECT}:`, "")));
  const section = (key: string): YAMLMap => {
    const p = pair(key);
    if (p && isMap(p.value)) return p.value;
    const m = doc.createNode({}) as YAMLMap;
    config.set(key, m);
    return m;
  };
  const marks: [string[], string][] = [];

  // Region and stage.
  if (o.region !== undefined || !pair("alicloud:region")) config.set("alicloud:region", o.region ?? "cn-shanghai");
  const region = String(config.get("alicloud:region"));
  marks.push([["alicloud:region"], "the Alibaba Cloud region every resource is created in."]);
  decide.push({ key: "alicloud:region", value: region, why: "the region every resource is created in" });
  if (o.stage !== undefined || !pair(`${PROJECT}:stage`)) config.set(pair(`${PROJECT}:stage`)?.key ?? `${PROJECT}:stage`, o.stage ?? "initial");

  // The source.
  const source = section(`${PROJECT}:source`);
  if (o.source) {
    source.set("host", o.source.host);
    source.set("port", o.source.port);
    source.set("database", o.source.database);
    source.set("user", o.source.user);
  }
  marks.push([[String(pair(`${PROJECT}:source`)!.key)], "the MySQL source DTS and DataWorks connect to, and the sync account (npm run preflight checks it)."]);
  decide.push({
    key: `${PROJECT}:source`,
    value: `${source.get("user")}@${source.get("host")}:${source.get("port") ?? 3306}/${source.get("database") ?? "photo_assistant"}`,
    why: "the MySQL source and its sync account",
  });

  // Names derived from the stack's name (globally unique in MaxCompute and SLS).
  const projectName = derivedProjectName(o.stack);
  const warehouse = section(`${PROJECT}:warehouse`);
  warehouse.set("projectName", projectName);
  marks.push([
    [String(pair(`${PROJECT}:warehouse`)!.key), "projectName"],
    "globally unique MaxCompute project name, derived from the stack name (also the DataWorks workspace and SLS project names).",
  ]);
  const dataworks = section(`${PROJECT}:dataworks`);
  if (dataworks.has("workspaceName")) dataworks.set("workspaceName", projectName);
  const tracking = config.get(`${PROJECT}:tracking`);
  if (isMap(tracking) && tracking.has("projectName")) tracking.set("projectName", `${projectName.replace(/_/g, "-")}-tracking`);
  // Canal keeps its binlog position on a NAS path: two stacks on one NAS must not share it.
  const realtime = config.get(`${PROJECT}:realtime`);
  const canal = isMap(realtime) ? realtime.get("canalDatahub") : undefined;
  if (isMap(canal)) canal.set("nasPath", `/canal/${o.stack}`);
  decide.push({
    key: `${PROJECT}:warehouse.projectName`,
    value: projectName,
    why: "globally unique MaxCompute project name (also the DataWorks workspace and, with -tracking, the SLS project)",
  });
  if (!dataworks.has("resourceGroup")) dataworks.set("resourceGroup", "Serverless_res_group_0001");
  marks.push([
    [String(pair(`${PROJECT}:dataworks`)!.key), "resourceGroup"],
    "the serverless resource group (DataWorks console, Resource Groups) the DI jobs run on.",
  ]);
  decide.push({
    key: `${PROJECT}:dataworks.resourceGroup`,
    value: String(dataworks.get("resourceGroup")),
    why: "the serverless resource group the DI jobs run on",
  });

  // Secrets: every secure value of the from-stack (encrypted for that stack only) and sourcePassword.
  const secrets: string[] = [];
  for (const p of config.items) {
    if (!isScalar(p.key)) continue;
    const raw = String(p.key.value);
    const key = raw.includes(":") ? raw : `${PROJECT}:${raw}`;
    const isSecretKey = (SECRET_KEYS as readonly string[]).includes(key.replace(`${PROJECT}:`, ""));
    if (isMap(p.value) && p.value.has("secure")) {
      p.value.set("secure", initSecretPlaceholder(key, o.stack));
      secrets.push(key);
    } else if (isSecretKey) {
      p.value = doc.createNode({ secure: initSecretPlaceholder(key, o.stack) });
      secrets.push(key);
    }
  }
  if (!secrets.includes(`${PROJECT}:sourcePassword`)) {
    config.set(`${PROJECT}:sourcePassword`, doc.createNode({ secure: initSecretPlaceholder(`${PROJECT}:sourcePassword`, o.stack) }));
    secrets.push(`${PROJECT}:sourcePassword`);
  }
  for (const key of secrets) {
    marks.push([[String(pair(key)!.key)], `(secret): ${secretSetCommand(key, o.stack)}`]);
  }

  // The from-stack's own header describes that stack: dropped (this file gets its own below).
  doc.commentBefore = null;
  if (isMap(doc.contents)) {
    doc.contents.commentBefore = null;
    const first = doc.contents.items[0]?.key;
    if (isScalar(first)) first.commentBefore = null;
  }
  // Comments go on key nodes: parse the edited text again so that every key is a node.
  const out = YAML.parseDocument(doc.toString(TO_STRING));
  for (const [path, text] of marks) {
    const parent = path.length === 1 ? out.get("config") : out.getIn(["config", ...path.slice(0, -1)]);
    if (isMap(parent)) markIn(parent, path[path.length - 1], text);
  }

  const origin = o.from ? `from Pulumi.${o.from.stack}.yaml` : "from the built-in template";
  out.commentBefore = [
    ` ${o.stack}: written by \`npm run init -- --stack ${o.stack}\` ${origin}.`,
    " Keys marked DECIDE are yours to check before `pulumi up`; every other key is documented in",
    " docs/config-reference.md. Secrets hold a placeholder the offline plan warns about and `pulumi up`",
    " cannot decrypt: set each with the command in its DECIDE line. Promote with",
    `   npm run promote -- --stack ${o.stack} --to growth`,
  ].join("\n");
  return { text: out.toString(TO_STRING), decide, secrets };
}
