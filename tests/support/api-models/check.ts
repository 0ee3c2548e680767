/**
 * Holds requests and answers to the official API models (tests/support/api-models/<product>.json):
 * every fake checks each request the product sends (a parameter the request model lacks, a
 * parameter in another place than the SDK puts it, a wrong type, a required one missing, another
 * HTTP method) and each answer it gives (a field the response model lacks, a wrong type, an
 * integer beyond 2^53 as a JSON number, which no client reads back intact).
 *
 * JSON here is read without losing digits: an integer beyond Number.MAX_SAFE_INTEGER becomes a
 * BigInt (`parseJson`), and `stringifyJson` writes it back as the same digits, so a 19-digit
 * DataWorks id survives a round trip through a fake.
 */
import * as fs from "fs";
import * as path from "path";
import type { ApiAction, ApiModelFile, FieldModel, TypeModel } from "./model-types";

export type { ApiModelFile } from "./model-types";

/** The model files kept beside this module. */
export type ApiProduct = "dataworks" | "dts" | "sls" | "flink" | "bss" | "maxcompute" | "datahub";

const cache = new Map<ApiProduct, ApiModelFile>();

export function loadModels(product: ApiProduct): ApiModelFile {
  let m = cache.get(product);
  if (!m) {
    m = JSON.parse(fs.readFileSync(path.join(__dirname, `${product}.json`), "utf8")) as ApiModelFile;
    cache.set(product, m);
  }
  return m;
}

// ---------------------------------------------------------------------------------------------
// Lossless JSON

/** JSON.parse, except that an integer beyond 2^53 - 1 is a BigInt (its digits kept). Throws like JSON.parse on bad input. */
export function parseJson(text: string): unknown {
  let i = 0;
  const ws = () => {
    while (i < text.length && " \t\n\r".includes(text[i])) i++;
  };
  const fail = (what: string): never => {
    throw new SyntaxError(`${what} at position ${i} of JSON text`);
  };
  const value = (): unknown => {
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      const out: Record<string, unknown> = {};
      ws();
      if (text[i] === "}") return (i++, out);
      for (;;) {
        ws();
        if (text[i] !== '"') fail("expected a key");
        const k = str();
        ws();
        if (text[i++] !== ":") fail("expected ':'");
        out[k] = value();
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i++] === "}") return out;
        fail("expected ',' or '}'");
      }
    }
    if (c === "[") {
      i++;
      const out: unknown[] = [];
      ws();
      if (text[i] === "]") return (i++, out);
      for (;;) {
        out.push(value());
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i++] === "]") return out;
        fail("expected ',' or ']'");
      }
    }
    if (c === '"') return str();
    const lit = /^(-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 400));
    if (!lit) return fail("unexpected token");
    i += lit[0].length;
    if (lit[0] === "true") return true;
    if (lit[0] === "false") return false;
    if (lit[0] === "null") return null;
    if (!lit[2] && !lit[3]) {
      const n = Number(lit[0]);
      return Number.isSafeInteger(n) ? n : BigInt(lit[0]);
    }
    return Number(lit[0]);
  };
  const str = (): string => {
    let j = i + 1;
    while (j < text.length && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
    if (j >= text.length) return fail("unterminated string");
    const lit = text.slice(i, j + 1);
    i = j + 1;
    return JSON.parse(lit) as string; // validates escapes and control characters
  };
  const v = value();
  ws();
  if (i !== text.length) fail("trailing text");
  return v;
}

/** JSON.stringify that writes a BigInt as its digits (a JSON number). */
export function stringifyJson(v: unknown): string {
  const marks: string[] = [];
  const text = JSON.stringify(v, (_k, x) => {
    if (typeof x === "bigint") {
      marks.push(x.toString());
      return `\u0000bigint${marks.length - 1}\u0000`;
    }
    return x;
  });
  return text.replace(/"\\u0000bigint(\d+)\\u0000"/g, (_m, n: string) => marks[Number(n)]);
}

// ---------------------------------------------------------------------------------------------
// Values against types

const NUMBER_TEXT = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;

/**
 * Problems of `value` against `type`. `wire`: the value arrived as text (an RPC query or form
 * parameter), so a number is its digits and a boolean `true`/`false`.
 */
export function checkValue(file: ApiModelFile, type: TypeModel, value: unknown, at: string, wire = false): string[] {
  if (value === undefined || value === null) return [];
  switch (type.type) {
    case "any":
      return [];
    case "string":
      return typeof value === "string" ? [] : [`${at}: ${describe(value)}, the model says string`];
    case "number":
      if (wire) return typeof value === "string" && NUMBER_TEXT.test(value) ? [] : [`${at}: ${describe(value)}, the model says number`];
      if (typeof value === "bigint") return [];
      if (typeof value !== "number") return [`${at}: ${describe(value)}, the model says number`];
      if (Number.isInteger(value) && !Number.isSafeInteger(value))
        return [`${at}: ${value} is an integer beyond 2^53 (digits lost); a JSON client cannot read it back`];
      return [];
    case "boolean":
      if (wire) return value === "true" || value === "false" ? [] : [`${at}: ${describe(value)}, the model says boolean`];
      return typeof value === "boolean" ? [] : [`${at}: ${describe(value)}, the model says boolean`];
    case "array":
      if (!Array.isArray(value)) return [`${at}: ${describe(value)}, the model says array`];
      return value.flatMap((v, n) => checkValue(file, type.items, v, `${at}[${n}]`, wire));
    case "map":
      if (typeof value !== "object" || Array.isArray(value)) return [`${at}: ${describe(value)}, the model says map`];
      return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => checkValue(file, type.values, v, `${at}.${k}`, wire));
    case "object": {
      if (typeof value !== "object" || Array.isArray(value)) return [`${at}: ${describe(value)}, the model says object ${type.model}`];
      const fields = file.models[type.model];
      if (!fields) return [`${at}: model ${type.model} missing from the file`];
      return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => {
        const f = fields[k];
        if (!f) return [`${at}.${k}: not a field of ${type.model} (fields: ${Object.keys(fields).join(", ") || "none"})`];
        // A string field that carries JSON (the MaxCompute table Schema, DataHub's PartitionConfig).
        if (f.json && typeof v === "string" && !wire) {
          try {
            return checkValue(file, f.json, parseJson(v), `${at}.${k}`);
          } catch {
            return [`${at}.${k}: not JSON text, the model says JSON`];
          }
        }
        return checkValue(file, f, v, `${at}.${k}`, wire);
      });
    }
  }
}

function describe(v: unknown): string {
  const t = Array.isArray(v) ? "array" : typeof v;
  const text = typeof v === "string" ? JSON.stringify(v) : typeof v === "bigint" ? v.toString() : t === "object" ? "" : String(v);
  return `${t}${text ? ` ${text.slice(0, 60)}` : ""}`;
}

/** Required fields of a model missing from `value` (recursively), for request bodies. */
function missingRequired(file: ApiModelFile, type: TypeModel, value: unknown, at: string): string[] {
  if (value === undefined || value === null) return [];
  if (type.type === "array" && Array.isArray(value)) return value.flatMap((v, n) => missingRequired(file, type.items, v, `${at}[${n}]`));
  if (type.type !== "object" || typeof value !== "object" || Array.isArray(value)) return [];
  const fields = file.models[type.model] ?? {};
  const o = value as Record<string, unknown>;
  return Object.entries(fields).flatMap(([k, f]) =>
    o[k] === undefined ? (f.required ? [`${at}.${k}: required by ${type.model}, not sent`] : []) : missingRequired(file, f, o[k], `${at}.${k}`),
  );
}

// ---------------------------------------------------------------------------------------------
// Requests and answers

/** A request as a fake received it. */
export interface ReceivedRequest {
  readonly method: string;
  /** Query parameters (without the fixed ones of the SDK's pathname, e.g. `type=histogram`). */
  readonly query?: Readonly<Record<string, string>>;
  /** Form parameters (an RPC POST body). */
  readonly form?: Readonly<Record<string, string>>;
  /** Headers, lower-case names. */
  readonly headers?: Readonly<Record<string, string | string[] | undefined>>;
  /** A JSON body, parsed (ROA, DataHub). */
  readonly json?: unknown;
  /** An XML body, as text (MaxCompute). */
  readonly xml?: string;
}

/** Top-level names of RPC parameters flattened by the SDK (`ModuleList.1.ModuleCode` -> `ModuleList`, path `[0].ModuleCode`). */
function unflatten(params: Readonly<Record<string, string>>): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [key, v] of Object.entries(params)) {
    const parts = key.split(".");
    if (parts.length === 1) {
      out.set(key, v);
      continue;
    }
    const root = parts[0];
    let cur = (out.get(root) ?? (/^\d+$/.test(parts[1]) ? [] : {})) as Record<string, unknown>;
    out.set(root, cur);
    for (let n = 1; n < parts.length; n++) {
      const p = parts[n];
      const k = /^\d+$/.test(p) ? Number(p) - 1 : p;
      if (n === parts.length - 1) (cur as Record<string | number, unknown>)[k] = v;
      else {
        const next = (cur as Record<string | number, unknown>)[k] ?? (/^\d+$/.test(parts[n + 1]) ? [] : {});
        (cur as Record<string | number, unknown>)[k] = next;
        cur = next as Record<string, unknown>;
      }
    }
  }
  return out;
}

function action(file: ApiModelFile, name: string): ApiAction | undefined {
  return file.actions[name];
}

/**
 * Problems of a request against the action's model: the HTTP method, every parameter a field of
 * the request model sent where the SDK sends it, with its type (a shrink parameter's JSON against
 * the original model), and every required parameter present.
 */
export function checkRequest(file: ApiModelFile, name: string, req: ReceivedRequest): string[] {
  const a = action(file, name);
  if (!a) return [`${name}: no model for this action in ${file.product} ${file.version} (add it to tests/support/api-models/generate.ts)`];
  const problems: string[] = [];
  if (req.method.toUpperCase() !== a.method) problems.push(`${name}: sent as ${req.method}, the SDK sends ${a.method}`);
  const seen = new Set<string>();
  const place = (where: "query" | "body", params: Readonly<Record<string, string>> | undefined) => {
    for (const [k, v] of unflatten(params ?? {})) {
      seen.add(k);
      const f = a.request[k];
      if (!f) {
        problems.push(`${name}: ${where} parameter ${k} is not in the request model (${Object.keys(a.request).join(", ")})`);
        continue;
      }
      if (f.in !== where) problems.push(`${name}: ${k} sent in the ${where}, the SDK sends it in the ${f.in}`);
      problems.push(...paramProblems(file, name, k, f, v));
    }
  };
  if (a.style === "RPC") {
    place("query", req.query);
    place("body", req.form);
  } else {
    place("query", req.query);
    for (const [k, f] of Object.entries(a.request)) {
      if (f.in === "header") {
        const h = req.headers?.[k.toLowerCase()];
        if (h !== undefined) {
          seen.add(k);
          problems.push(...checkValue(file, f, String(h), `${name} header ${k}`, true));
        }
      }
      if (f.in === "path" || f.in === "host") seen.add(k);
    }
    if (req.xml !== undefined) {
      const whole = a.request.$body;
      if (whole) {
        seen.add("$body");
        problems.push(...checkXml(file, whole, req.xml, `${name} body`));
      } else problems.push(`${name}: an XML body the model has no place for`);
    }
    if (req.json !== undefined) {
      const whole = a.request.$body;
      if (whole) {
        seen.add("$body");
        problems.push(...checkValue(file, whole, req.json, `${name} body`), ...missingRequired(file, whole, req.json, `${name} body`));
      } else if (typeof req.json === "object" && req.json !== null && !Array.isArray(req.json)) {
        for (const [k, v] of Object.entries(req.json as Record<string, unknown>)) {
          seen.add(k);
          const f = a.request[k];
          if (!f || f.in !== "body") {
            problems.push(`${name}: body field ${k} is not in the request model`);
            continue;
          }
          problems.push(...checkValue(file, f, v, `${name} body.${k}`), ...missingRequired(file, f, v, `${name} body.${k}`));
        }
      } else problems.push(`${name}: a JSON body the model has no place for`);
    }
  }
  for (const [k, f] of Object.entries(a.request)) {
    if (f.required && !seen.has(k) && f.in !== "path" && f.in !== "host") problems.push(`${name}: required parameter ${k} not sent`);
  }
  return problems;
}

function paramProblems(file: ApiModelFile, name: string, key: string, f: FieldModel, v: unknown): string[] {
  if (f.json && typeof v === "string") {
    let parsed: unknown;
    try {
      parsed = parseJson(v);
    } catch {
      return [`${name}: ${key} must be JSON text (the SDK sends it as JSON), got ${v.slice(0, 60)}`];
    }
    return [...checkValue(file, f.json, parsed, `${name} ${key}`), ...missingRequired(file, f.json, parsed, `${name} ${key}`)];
  }
  return checkValue(file, f, v, `${name} ${key}`, true);
}

/**
 * Problems of an answer body against the action's response model: fields and types, and (where
 * the model marks them: the REST SDKs read them without a default) required fields. An XML answer
 * (MaxCompute) is given as its text.
 */
export function checkResponse(file: ApiModelFile, name: string, body: unknown): string[] {
  const a = action(file, name);
  if (!a) return [`${name}: no model for this action in ${file.product} ${file.version}`];
  if (file.format === "xml") return checkXml(file, a.response, typeof body === "string" ? body : "", `${name} answer`);
  return [...checkValue(file, a.response, body, `${name} answer`), ...missingRequired(file, a.response, body, `${name} answer`)];
}

// ---------------------------------------------------------------------------------------------
// XML (the MaxCompute REST API): elements are fields, `@name` attributes, `#text` an element's text.

/** An element of an XML document. */
export interface XmlElement {
  readonly tag: string;
  readonly attrs: Record<string, string>;
  readonly children: XmlElement[];
  text: string;
}

function decodeXml(s: string): string {
  return s.replace(/&(lt|gt|quot|apos|amp);/g, (_m, e: string) => ({ lt: "<", gt: ">", quot: '"', apos: "'", amp: "&" })[e] as string);
}

/** A small XML reader (elements, attributes, text, CDATA): enough for the ODPS documents. Throws on a malformed one. */
export function parseXml(xml: string): XmlElement {
  const root: XmlElement = { tag: "#document", attrs: {}, children: [], text: "" };
  const stack: XmlElement[] = [root];
  const re = /<!\[CDATA\[([\s\S]*?)\]\]>|<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<\/([\w:.-]+)\s*>|<([\w:.-]+)((?:\s+[\w:.-]+\s*=\s*"[^"]*")*)\s*(\/?)>|([^<]+)/g;
  for (let m = re.exec(xml); m; m = re.exec(xml)) {
    const top = stack[stack.length - 1];
    if (m[1] !== undefined) top.text += m[1];
    else if (m[2] !== undefined) {
      if (top.tag !== m[2]) throw new Error(`</${m[2]}> closes <${top.tag}>`);
      stack.pop();
    } else if (m[3] !== undefined) {
      const attrs: Record<string, string> = {};
      for (const a of (m[4] ?? "").matchAll(/([\w:.-]+)\s*=\s*"([^"]*)"/g)) attrs[a[1]] = decodeXml(a[2]);
      const el: XmlElement = { tag: m[3], attrs, children: [], text: "" };
      top.children.push(el);
      if (m[5] !== "/") stack.push(el);
    } else if (m[6] !== undefined) top.text += decodeXml(m[6]);
  }
  if (stack.length !== 1) throw new Error(`<${stack[stack.length - 1].tag}> is not closed`);
  return root;
}

/** Problems of an XML document against a model of its root (a model whose one field is the root element). */
export function checkXml(file: ApiModelFile, type: TypeModel, xml: string, at: string): string[] {
  let doc: XmlElement;
  try {
    doc = parseXml(xml);
  } catch (e) {
    return [`${at}: not XML (${(e as Error).message})`];
  }
  return checkElement(file, type, doc, at);
}

function checkElement(file: ApiModelFile, type: TypeModel, el: XmlElement, at: string, field?: FieldModel): string[] {
  switch (type.type) {
    case "any":
      return [];
    case "string":
    case "number":
    case "boolean": {
      if (el.children.length > 0) return [`${at}: has child elements (${el.children.map((c) => c.tag).join(", ")}), the model says ${type.type}`];
      if (field?.json) {
        try {
          return checkValue(file, field.json, parseJson(el.text), at);
        } catch {
          return [`${at}: not JSON text, the model says JSON`];
        }
      }
      return checkValue(file, type, el.text.trim(), at, true);
    }
    case "object": {
      const fields = file.models[type.model];
      if (!fields) return [`${at}: model ${type.model} missing from the file`];
      const out: string[] = [];
      for (const [k, v] of Object.entries(el.attrs)) {
        const f = fields[`@${k}`];
        if (!f) out.push(`${at}@${k}: not an attribute of ${type.model}`);
        else out.push(...checkValue(file, f, v, `${at}@${k}`, true));
      }
      if (el.text.trim() !== "" && !fields["#text"]) out.push(`${at}: has text, ${type.model} has none`);
      const byTag = new Map<string, XmlElement[]>();
      for (const c of el.children) byTag.set(c.tag, [...(byTag.get(c.tag) ?? []), c]);
      for (const [tag, els] of byTag) {
        const f = fields[tag];
        if (!f) {
          out.push(`${at}.${tag}: not an element of ${type.model} (elements: ${Object.keys(fields).join(", ") || "none"})`);
          continue;
        }
        if (f.type === "array") els.forEach((c, n) => out.push(...checkElement(file, f.items, c, `${at}.${tag}[${n}]`)));
        else if (els.length > 1) out.push(`${at}.${tag}: ${els.length} elements, the model says one`);
        else out.push(...checkElement(file, f, els[0], `${at}.${tag}`, f));
      }
      for (const [k, f] of Object.entries(fields)) {
        const present = k.startsWith("@") ? el.attrs[k.slice(1)] !== undefined : k === "#text" ? el.text.trim() !== "" : byTag.has(k);
        if (f.required && !present) out.push(`${at}.${k}: required by ${type.model}, missing`);
      }
      return out;
    }
    case "array":
    case "map":
      return [`${at}: an XML element cannot be a ${type.type}`];
  }
}

/**
 * What a fake does with the problems it finds: keeps them (`violations`), so that a test can
 * assert there are none, and answers a request the product got wrong with this error.
 */
export class ModelGuard {
  readonly violations: string[] = [];
  constructor(readonly file: ApiModelFile) {}

  request(name: string, req: ReceivedRequest): string[] {
    const p = checkRequest(this.file, name, req);
    this.violations.push(...p);
    return p;
  }

  response(name: string, body: unknown): string[] {
    const p = checkResponse(this.file, name, body);
    this.violations.push(...p);
    return p;
  }
}
