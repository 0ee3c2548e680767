/**
 * The provider-behaviour table (`provider-behaviour.json`; this module is not named
 * `provider-behaviour.ts` because Node resolves `./provider-behaviour` to the JSON first): per resource type
 * the stack uses, which inputs force replacement, which an update applies,
 * which an update drops (unless another input changes in the same update), and
 * which the API normalizes, each row with its source. Mocks apply every
 * change; this table is what the real providers do, and the plan diff reads
 * it. Pure: a typed loader, a validator, and the classification of one
 * changed input path.
 */
import raw from "./provider-behaviour.json";

/** How the API or the provider's diff normalizes an input. */
export const NORMALIZATION_KINDS = [
  /** JSON documents compared semantically (key order, whitespace). */
  "json",
  /** A set: element order is no change. */
  "unordered",
  /** Compared ignoring case. */
  "caseInsensitive",
  /** Optional+Computed: unset values take the server's. */
  "computed",
  /** Read maps the server's value onto another spelling. */
  "mapped",
  /** A provider-specific canonical form (trailing blanks, key order...). */
  "canonical",
  /** Read takes the value from another object (a provider defect). */
  "readFromFirstRule",
] as const;
export type NormalizationKind = (typeof NORMALIZATION_KINDS)[number];

/** An input whose change an update does not send. */
export interface DroppedInput {
  readonly input: string;
  /** The change is sent only when one of these inputs changes in the same update; absent: never sent. */
  readonly unlessChanged: readonly string[];
  readonly reason: string;
}

export interface Normalization {
  readonly input: string;
  readonly kind: NormalizationKind;
  readonly reason: string;
}

/** What the real provider does with each input of one resource type. */
export interface ResourceBehaviour {
  readonly type: string;
  /** Provider Go file and commit, or the project's provider module, or a doc URL. */
  readonly source: string;
  /** Input paths whose change replaces the resource (`a.b`: a field of a max-1 block; covers everything below). */
  readonly forcesReplacement: readonly string[];
  /** Blocks whose addition or removal (not a change inside them) replaces the resource. */
  readonly forcesReplacementWhenAddedOrRemoved: readonly string[];
  /** Input paths an update sends. */
  readonly updates: readonly string[];
  readonly dropped: readonly DroppedInput[];
  readonly normalized: readonly Normalization[];
  /** Inputs the provider's diff never compares (the serialized dynamic provider, outputs). */
  readonly ignored: readonly string[];
}

/** A ROS resource type inside an `alicloud:ros/stack:Stack` template. */
export interface RosResourceBehaviour {
  readonly type: string;
  readonly source: string;
  /** Properties whose change makes ROS replace the resource (ROS "Editable: No"). */
  readonly forcesReplacement: readonly string[];
  /** Holds data: replacing it loses data. */
  readonly data: boolean;
}

export interface ProviderBehaviourTable {
  readonly types: ReadonlyMap<string, ResourceBehaviour>;
  readonly rosResourceTypes: ReadonlyMap<string, RosResourceBehaviour>;
}

/** Thrown when the table's data is malformed; the message names every offending key. */
export class ProviderBehaviourError extends Error {}

type Json = Record<string, unknown>;

function isObj(v: unknown): v is Json {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/**
 * Validates and types the table. Rules: every row has a source; lists hold strings;
 * no input is both replacement-forcing and dropped or both updated and dropped; a
 * dropped input's `unlessChanged` inputs are updated inputs; normalization kinds are known.
 */
export function parseProviderBehaviour(data: unknown): ProviderBehaviourTable {
  const problems: string[] = [];
  const strings = (at: string, v: unknown, required = true): string[] => {
    if (v === undefined && !required) return [];
    if (!Array.isArray(v) || v.some((x) => typeof x !== "string" || x === "")) {
      problems.push(`${at}: expected a list of input names, got ${JSON.stringify(v)}`);
      return [];
    }
    return v as string[];
  };
  const text = (at: string, v: unknown): string => {
    if (typeof v !== "string" || v.trim() === "") {
      problems.push(`${at}: expected a non-empty text, got ${JSON.stringify(v)}`);
      return "";
    }
    return v;
  };
  if (!isObj(data) || !isObj(data.types)) throw new ProviderBehaviourError(`provider behaviour: expected {"types": {...}}, got ${typeof data}`);
  const types = new Map<string, ResourceBehaviour>();
  for (const [type, row] of Object.entries(data.types)) {
    const at = `types["${type}"]`;
    if (!isObj(row)) {
      problems.push(`${at}: expected an object`);
      continue;
    }
    const forcesReplacement = strings(`${at}.forcesReplacement`, row.forcesReplacement);
    const updates = strings(`${at}.updates`, row.updates);
    const dropped: DroppedInput[] = [];
    if (!Array.isArray(row.dropped)) problems.push(`${at}.dropped: expected a list`);
    for (const [i, d] of (Array.isArray(row.dropped) ? row.dropped : []).entries()) {
      const dat = `${at}.dropped[${i}]`;
      if (!isObj(d)) {
        problems.push(`${dat}: expected {input, reason, unlessChanged?}`);
        continue;
      }
      const input = text(`${dat}.input`, d.input);
      const unlessChanged = strings(`${dat}.unlessChanged`, d.unlessChanged, false);
      if (forcesReplacement.includes(input)) problems.push(`${dat}: ${input} is also listed in forcesReplacement`);
      if (updates.includes(input)) problems.push(`${dat}: ${input} is also listed in updates`);
      for (const u of unlessChanged) {
        if (!updates.includes(u)) problems.push(`${dat}.unlessChanged: ${u} is not an updated input (allowed: ${updates.join(", ")})`);
      }
      dropped.push({ input, unlessChanged, reason: text(`${dat}.reason`, d.reason) });
    }
    const normalized: Normalization[] = [];
    if (!Array.isArray(row.normalized)) problems.push(`${at}.normalized: expected a list`);
    for (const [i, n] of (Array.isArray(row.normalized) ? row.normalized : []).entries()) {
      const nat = `${at}.normalized[${i}]`;
      if (!isObj(n)) {
        problems.push(`${nat}: expected {input, kind, reason}`);
        continue;
      }
      if (!(NORMALIZATION_KINDS as readonly unknown[]).includes(n.kind)) {
        problems.push(`${nat}.kind: ${JSON.stringify(n.kind)} is not allowed; allowed: ${NORMALIZATION_KINDS.join(", ")}`);
      }
      normalized.push({ input: text(`${nat}.input`, n.input), kind: n.kind as NormalizationKind, reason: text(`${nat}.reason`, n.reason) });
    }
    for (const f of forcesReplacement) if (updates.includes(f)) problems.push(`${at}: ${f} is listed in both forcesReplacement and updates`);
    types.set(type, {
      type,
      source: text(`${at}.source`, row.source),
      forcesReplacement,
      forcesReplacementWhenAddedOrRemoved: strings(`${at}.forcesReplacementWhenAddedOrRemoved`, row.forcesReplacementWhenAddedOrRemoved, false),
      updates,
      dropped,
      normalized,
      ignored: strings(`${at}.ignored`, row.ignored, false),
    });
  }
  const rosResourceTypes = new Map<string, RosResourceBehaviour>();
  for (const [type, row] of Object.entries(isObj(data.rosResourceTypes) ? data.rosResourceTypes : {})) {
    const at = `rosResourceTypes["${type}"]`;
    if (!isObj(row)) {
      problems.push(`${at}: expected an object`);
      continue;
    }
    if (typeof row.data !== "boolean") problems.push(`${at}.data: expected true or false, got ${JSON.stringify(row.data)}`);
    rosResourceTypes.set(type, {
      type,
      source: text(`${at}.source`, row.source),
      forcesReplacement: strings(`${at}.forcesReplacement`, row.forcesReplacement),
      data: row.data === true,
    });
  }
  if (problems.length > 0) throw new ProviderBehaviourError(`provider behaviour table:\n  ${problems.join("\n  ")}`);
  return { types, rosResourceTypes };
}

/** The table shipped with the project. */
export const PROVIDER_BEHAVIOUR: ProviderBehaviourTable = parseProviderBehaviour(raw);

/** The input path a changed path belongs to: `tableMappings[3].x` -> `tableMappings.x`, `templateBody<Resources...>` -> `templateBody`. */
export function inputPath(changedPath: string): string {
  return changedPath.split("<")[0].replace(/\[\d+\]/g, "");
}

/** Whether `path` is `entry` or below it. */
function covers(entry: string, path: string): boolean {
  return path === entry || path.startsWith(entry + ".");
}

/** What the provider does with one changed input path. */
export type PathEffect =
  | { readonly effect: "replace"; readonly input: string }
  | { readonly effect: "update"; readonly input: string }
  | { readonly effect: "dropped"; readonly input: string; readonly reason: string }
  | { readonly effect: "ignored"; readonly input: string }
  /** The type or the input has no row: mocks' behaviour (an update) is assumed. */
  | { readonly effect: "unknown"; readonly input: string };

/**
 * Classifies one changed path of a resource of behaviour `b`. `changedInputs`
 * holds the input paths of every change of the same resource in the same update
 * (a dropped input is sent when one of its `unlessChanged` inputs is among them).
 */
export function classifyPath(b: ResourceBehaviour | undefined, changedPath: string, changedInputs: readonly string[]): PathEffect {
  const input = inputPath(changedPath);
  if (!b) return { effect: "unknown", input };
  if (b.ignored.some((e) => covers(e, input))) return { effect: "ignored", input };
  // A forcing field below the changed path (its parent block appeared or went) also replaces.
  if (b.forcesReplacement.some((e) => covers(e, input) || covers(input, e))) return { effect: "replace", input };
  if (b.forcesReplacementWhenAddedOrRemoved.includes(input)) return { effect: "replace", input };
  const d = b.dropped.find((x) => covers(x.input, input));
  if (d) {
    const sent = d.unlessChanged.some((u) => changedInputs.some((c) => covers(u, c)));
    return sent ? { effect: "update", input } : { effect: "dropped", input, reason: d.reason };
  }
  if (b.updates.some((e) => covers(e, input))) return { effect: "update", input };
  return { effect: "unknown", input };
}

/** The behaviour row of a resource type, if the table has one. */
export function behaviourOf(type: string, table: ProviderBehaviourTable = PROVIDER_BEHAVIOUR): ResourceBehaviour | undefined {
  return table.types.get(type);
}

/** The table as Markdown (docs/provider-behaviour.md is this text; a test keeps them equal). */
export function renderProviderBehaviourMarkdown(table: ProviderBehaviourTable = PROVIDER_BEHAVIOUR): string {
  const list = (xs: readonly string[]) => (xs.length === 0 ? "-" : xs.map((x) => `\`${x}\``).join(", "));
  const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
  const lines = [
    "# Provider behaviour the plan models",
    "",
    "Generated from `lib/plan/provider-behaviour.json` (`renderProviderBehaviourMarkdown`); do not edit by hand.",
    "Mocks apply every change; the real providers replace, drop or normalize some. The offline plan diff reads",
    "this table: a change a provider would drop, or a replaced or deleted data resource, is an error, never a plain update.",
    "",
    "| type | forces replacement | an update applies | an update drops | normalized | source |",
    "|---|---|---|---|---|---|",
  ];
  for (const b of [...table.types.values()].sort((x, y) => x.type.localeCompare(y.type))) {
    const forcing = [...b.forcesReplacement, ...b.forcesReplacementWhenAddedOrRemoved.map((x) => `${x} (added/removed)`)];
    const dropped = b.dropped.map(
      (d) => `\`${d.input}\`${d.unlessChanged.length > 0 ? ` unless ${d.unlessChanged.map((u) => `\`${u}\``).join("/")} changes` : ""}: ${cell(d.reason)}`,
    );
    const normalized = b.normalized.map((n) => `\`${n.input}\` (${n.kind})`);
    lines.push(
      `| \`${b.type}\` | ${list(forcing)} | ${list(b.updates)} | ${dropped.length === 0 ? "-" : dropped.join("; ")} | ${normalized.length === 0 ? "-" : normalized.join(", ")} | ${cell(b.source)} |`,
    );
  }
  lines.push(
    "",
    "ROS resource types inside `alicloud:ros/stack:Stack` templates:",
    "",
    "| ROS type | replaced when changed | holds data | source |",
    "|---|---|---|---|",
  );
  for (const r of [...table.rosResourceTypes.values()].sort((x, y) => x.type.localeCompare(y.type))) {
    lines.push(`| \`${r.type}\` | ${list(r.forcesReplacement)} | ${r.data ? "yes" : "no"} | ${cell(r.source)} |`);
  }
  return lines.join("\n") + "\n";
}
