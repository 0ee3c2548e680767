/**
 * Writes tests/support/api-models/<product>.json: for every API action the project calls, the
 * request and response model as the official TypeScript SDK defines it (repository
 * aliyun/alibabacloud-typescript-sdk, `<product>-<version>/src/models/*.ts` `names()` / `types()`,
 * "This parameter is required." in a field's doc comment), and how the SDK sends the request
 * (`src/client.ts` `<action>WithOptions`: method, pathname, style, and where each parameter goes:
 * query, body, header, path; a "shrink" parameter travels as a JSON string of its model).
 *
 *   npx ts-node --transpile-only tests/support/api-models/generate.ts <sdk-git-dir> [commit]
 *
 * `<sdk-git-dir>` is a clone (bare is enough) of the SDK repository: the `fetch` tool's
 * /work/.mirror/aliyun+alibabacloud-typescript-sdk/repo. Files are read with `git show <commit>:<path>`,
 * so the output names the commit it came from. The fakes check every request and answer against
 * these files (tests/support/api-models/check.ts).
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as prettier from "prettier";
import * as ts from "typescript";
import { SDK_ACTIONS } from "./actions";
import { ApiAction, ApiModelFile, FieldModel, ParamLocation, TypeModel } from "./model-types";

const REPOSITORY = "aliyun/alibabacloud-typescript-sdk";

class Sdk {
  private readonly cache = new Map<string, string>();
  constructor(
    readonly gitDir: string,
    readonly commit: string,
  ) {}
  show(p: string): string {
    let text = this.cache.get(p);
    if (text === undefined) {
      text = execFileSync("git", ["-C", this.gitDir, "show", `${this.commit}:${p}`], {
        encoding: "utf8",
        maxBuffer: 64 << 20,
        stdio: ["ignore", "pipe", "ignore"],
      });
      this.cache.set(p, text);
    }
    return text;
  }
  ls(dir: string): string[] {
    return execFileSync("git", ["-C", this.gitDir, "ls-tree", "--name-only", `${this.commit}`, `${dir}/`], { encoding: "utf8", maxBuffer: 64 << 20 })
      .split("\n")
      .filter(Boolean);
  }
}

/** One parsed `export class X extends $dara.Model`. */
interface ParsedClass {
  readonly name: string;
  readonly file: string;
  /** property -> { wire name, type expression, required } in declaration order of names(). */
  readonly fields: { prop: string; wire: string; type: ts.Expression; required: boolean }[];
  /** identifier -> file it is imported from (other model files). */
  readonly imports: Map<string, string>;
}

function objectLiteralOf(method: ts.MethodDeclaration): ts.ObjectLiteralExpression | undefined {
  let found: ts.ObjectLiteralExpression | undefined;
  method.body?.forEachChild(function walk(n) {
    if (!found && ts.isReturnStatement(n) && n.expression && ts.isObjectLiteralExpression(n.expression)) found = n.expression;
    else n.forEachChild(walk);
  });
  return found;
}

function propName(p: ts.PropertyName): string {
  if (ts.isIdentifier(p) || ts.isStringLiteral(p) || ts.isNumericLiteral(p)) return p.text;
  throw new Error(`unexpected property name ${p.getText()}`);
}

function parseModelFile(sdk: Sdk, file: string): ParsedClass[] {
  const text = sdk.show(file);
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const imports = new Map<string, string>();
  const out: ParsedClass[] = [];
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier) && st.moduleSpecifier.text.startsWith("./")) {
      const target = path.posix.join(path.posix.dirname(file), `${st.moduleSpecifier.text}.ts`);
      const named = st.importClause?.namedBindings;
      if (named && ts.isNamedImports(named)) for (const el of named.elements) imports.set(el.name.text, target);
    }
  }
  for (const st of sf.statements) {
    if (!ts.isClassDeclaration(st) || !st.name) continue;
    const required = new Map<string, boolean>();
    let names: ts.ObjectLiteralExpression | undefined;
    let types: ts.ObjectLiteralExpression | undefined;
    for (const m of st.members) {
      if (ts.isPropertyDeclaration(m) && m.name) {
        const trivia = text.slice(m.getFullStart(), m.getStart());
        required.set(propName(m.name), /This parameter is required\./.test(trivia));
      }
      if (ts.isMethodDeclaration(m) && m.name && ts.isIdentifier(m.name)) {
        if (m.name.text === "names") names = objectLiteralOf(m);
        if (m.name.text === "types") types = objectLiteralOf(m);
      }
    }
    if (!names || !types) continue;
    const typeOf = new Map<string, ts.Expression>();
    for (const p of types.properties) if (ts.isPropertyAssignment(p)) typeOf.set(propName(p.name), p.initializer);
    const fields: ParsedClass["fields"] = [];
    for (const p of names.properties) {
      if (!ts.isPropertyAssignment(p) || !ts.isStringLiteral(p.initializer)) continue;
      const prop = propName(p.name);
      const type = typeOf.get(prop);
      if (!type) throw new Error(`${file} ${st.name.text}.${prop}: no type`);
      fields.push({ prop, wire: p.initializer.text, type, required: required.get(prop) ?? false });
    }
    out.push({ name: st.name.text, file, fields, imports });
  }
  return out;
}

/** Reads model classes on demand and turns them into the JSON models. */
class Models {
  private readonly classes = new Map<string, ParsedClass>();
  readonly models: Record<string, Record<string, FieldModel>> = {};
  readonly files = new Set<string>();
  private readonly modelsDir: string;

  constructor(
    private readonly sdk: Sdk,
    product: string,
  ) {
    this.modelsDir = `${product}/src/models`;
  }

  /** The class `name`, looked up in `hint` (a file) first, else in `<name>.ts`, else by scanning. */
  cls(name: string, hint?: string): ParsedClass {
    const known = this.classes.get(name);
    if (known) return known;
    const candidates = [hint, `${this.modelsDir}/${name}.ts`].filter((f): f is string => !!f);
    for (const f of candidates) {
      let parsed: ParsedClass[];
      try {
        parsed = parseModelFile(this.sdk, f);
      } catch {
        continue;
      }
      for (const c of parsed) if (!this.classes.has(c.name)) this.classes.set(c.name, c);
      const c = this.classes.get(name);
      if (c) return c;
    }
    // File names do not always match class names (GetDIJob -> GetDijob...): scan case-insensitively.
    const file = this.sdk.ls(this.modelsDir).find((f) => path.posix.basename(f, ".ts").toLowerCase() === name.toLowerCase());
    if (file) {
      for (const c of parseModelFile(this.sdk, file)) if (!this.classes.has(c.name)) this.classes.set(c.name, c);
    }
    const c = this.classes.get(name);
    if (!c) throw new Error(`model class ${name} not found under ${this.modelsDir}`);
    return c;
  }

  /** The class `name`'s own file: the class whose file holds it, for classes nested in a response file (XResponseBodyY). */
  private classFrom(name: string, from: ParsedClass): ParsedClass {
    return this.cls(name, from.imports.get(name) ?? from.file);
  }

  /** Registers model `name` (and what it references); returns its key. */
  model(name: string, hint?: string): string {
    if (this.models[name]) return name;
    const c = this.cls(name, hint);
    this.files.add(c.file);
    const fields: Record<string, FieldModel> = {};
    this.models[name] = fields;
    for (const f of c.fields) fields[f.wire] = { ...this.type(f.type, c), ...(f.required ? { required: true } : {}) };
    return name;
  }

  type(e: ts.Expression, from: ParsedClass): TypeModel {
    if (ts.isStringLiteral(e)) {
      const t = e.text;
      if (t === "string" || t === "number" || t === "boolean" || t === "any") return { type: t };
      if (t === "Readable" || t === "Buffer") return { type: "any" };
      throw new Error(`${from.file}: unknown type '${t}'`);
    }
    if (ts.isIdentifier(e)) {
      const target = this.classFrom(e.text, from);
      return { type: "object", model: this.model(target.name, target.file) };
    }
    if (ts.isObjectLiteralExpression(e)) {
      const props = new Map<string, ts.Expression>();
      for (const p of e.properties) if (ts.isPropertyAssignment(p)) props.set(propName(p.name), p.initializer);
      const kind = props.get("type");
      if (!kind || !ts.isStringLiteral(kind)) throw new Error(`${from.file}: type literal without 'type'`);
      if (kind.text === "array") return { type: "array", items: this.type(props.get("itemType")!, from) };
      if (kind.text === "map") return { type: "map", values: this.type(props.get("valueType")!, from) };
      throw new Error(`${from.file}: unknown composite type ${kind.text}`);
    }
    throw new Error(`${from.file}: unexpected type expression ${e.getText()}`);
  }
}

/** The `<action>WithOptions` method of client.ts. */
function withOptionsMethod(clientSf: ts.SourceFile, action: string): ts.MethodDeclaration {
  const want = `${action.charAt(0).toLowerCase()}${action.slice(1)}WithOptions`;
  for (const st of clientSf.statements) {
    if (!ts.isClassDeclaration(st)) continue;
    for (const m of st.members) if (ts.isMethodDeclaration(m) && m.name && ts.isIdentifier(m.name) && m.name.text === want) return m;
  }
  throw new Error(`client.ts has no ${want}`);
}

function modelName(t: ts.TypeNode | undefined): string | undefined {
  // `$_model.XRequest`
  if (t && ts.isTypeReferenceNode(t) && ts.isQualifiedName(t.typeName)) return t.typeName.right.text;
  return undefined;
}

function actionOf(sdk: Sdk, models: Models, clientSf: ts.SourceFile, action: string): ApiAction {
  const m = withOptionsMethod(clientSf, action);
  const src = m.getText();
  const params: Record<string, string> = {};
  const paramsLit = /new \$OpenApiUtil\.Params\(\{([\s\S]*?)\}\);/.exec(src)?.[1] ?? "";
  for (const kv of paramsLit.matchAll(/(\w+): ("([^"]*)"|`([^`]*)`)/g)) params[kv[1]] = kv[3] ?? kv[4];
  if (params.action !== action) throw new Error(`${action}: Params.action is ${params.action}`);

  // The request model: the shrink class when the SDK builds one (that is what is sent), else the parameter's.
  const requestParam = m.parameters.find((p) => /Request$/.test(modelName(p.type) ?? ""));
  const shrinkName = /new \$_model\.(\w+ShrinkRequest)\(/.exec(src)?.[1];
  const requestName = shrinkName ?? modelName(requestParam?.type);
  const request: Record<string, FieldModel> = {};
  const pathParams = m.parameters
    .filter((p) => p.type && p.type.kind === ts.SyntaxKind.StringKeyword && ts.isIdentifier(p.name))
    .map((p) => (p.name as ts.Identifier).text);
  for (const p of pathParams) {
    const where = params.pathname.includes(`\${$dara.URL.percentEncode(${p})}`) || params.pathname.includes(`\${${p}}`) ? "path" : "host";
    request[p] = { type: "string", required: true, in: where };
  }
  if (requestName) {
    const cls = models.cls(requestName);
    const full = requestParam ? models.cls(modelName(requestParam.type)!) : cls;
    const allInQuery = /let query = OpenApiUtil\.query\(request\.toMap\(\)\)/.test(src);
    for (const f of cls.fields) {
      let where: ParamLocation | undefined;
      if (allInQuery) where = "query";
      const assigned = new RegExp(`(query|body)\\["([^"]+)"\\] = request\\.${f.prop};`).exec(src);
      if (assigned) where = assigned[1] as ParamLocation;
      if (f.prop === "body" && /body: (OpenApiUtil\.parseToMap\()?request\.body/.test(src)) {
        // ROA: the request's `body` model is the JSON body itself.
        const t = models.type(f.type, cls);
        request.$body = { ...t, in: "body", ...(f.required ? { required: true } : {}) };
        continue;
      }
      if (!where) continue; // not sent by the SDK (e.g. a field of another call)
      const wire = assigned ? assigned[2] : f.wire;
      const shrunk = /Shrink$/.test(f.prop);
      const field: FieldModel = { ...models.type(f.type, cls), in: where, ...(f.required ? { required: true } : {}) };
      if (shrunk) {
        // The SDK sends the original field as JSON text ("json" style): keep the original's model.
        const original = full.fields.find((g) => g.prop === f.prop.replace(/Shrink$/, ""));
        if (original) Object.assign(field, { json: models.type(original.type, full), ...(original.required ? { required: true } : {}) });
      }
      request[wire] = field;
    }
  }
  // Headers (ROA: a Headers model whose fields go to realHeaders["name"]).
  const headersName = m.parameters.map((p) => modelName(p.type)).find((n) => n && /Headers$/.test(n));
  if (headersName) {
    const cls = models.cls(headersName);
    for (const f of cls.fields) {
      const h = new RegExp(`realHeaders\\["([^"]+)"\\] = String\\(headers\\.${f.prop}\\)`).exec(src);
      if (h) request[h[1]] = { ...models.type(f.type, cls), in: "header", ...(f.required ? { required: true } : {}) };
    }
  }
  // The answer: the `body` of the XResponse model.
  const responseName = /Promise<\$_model\.(\w+Response)>/.exec(src)?.[1];
  if (!responseName) throw new Error(`${action}: no response model`);
  const resp = models.cls(responseName);
  const bodyField = resp.fields.find((f) => f.prop === "body");
  const response: TypeModel = bodyField ? models.type(bodyField.type, resp) : { type: "any" };
  return {
    method: params.method,
    pathname: params.pathname.replace(/\$\{\$dara\.URL\.percentEncode\((\w+)\)\}|\$\{(\w+)\}/g, (_m, a, b) => `{${a ?? b}}`),
    style: params.style,
    reqBodyType: params.reqBodyType,
    bodyType: params.bodyType,
    request,
    response,
  };
}

export function generate(gitDir: string, commit: string, product: string): ApiModelFile {
  const sdk = new Sdk(gitDir, commit);
  const spec = SDK_ACTIONS[product];
  const clientPath = `${product}/src/client.ts`;
  const clientSf = ts.createSourceFile(clientPath, sdk.show(clientPath), ts.ScriptTarget.ES2022, true);
  const models = new Models(sdk, product);
  const actions: Record<string, ApiAction> = {};
  for (const a of spec.actions) actions[a] = actionOf(sdk, models, clientSf, a);
  const version = /(\d{4})(\d{2})(\d{2})$/.exec(product)!;
  return {
    about:
      "Request and response models of the API actions the project calls, generated by tests/support/api-models/generate.ts from the official SDK source; do not edit by hand.",
    source: { repository: REPOSITORY, commit, directory: `${product}/src`, files: [clientPath, ...[...models.files].sort()] },
    product: product.replace(/-\d{8}$/, ""),
    version: `${version[1]}-${version[2]}-${version[3]}`,
    actions,
    models: Object.fromEntries(
      Object.keys(models.models)
        .sort()
        .map((k) => [k, models.models[k]]),
    ),
  };
}

if (require.main === module) {
  const [gitDir, commitArg] = process.argv.slice(2);
  if (!gitDir) {
    console.error("usage: generate.ts <sdk-git-dir> [commit]");
    process.exit(1);
  }
  const commit = commitArg ?? execFileSync("git", ["-C", gitDir, "rev-parse", "HEAD"], { encoding: "utf8" }).trim();
  for (const product of Object.keys(SDK_ACTIONS)) {
    const out = generate(gitDir, commit, product);
    const file = path.join(__dirname, SDK_ACTIONS[product].file);
    // Written as Prettier formats JSON here (`npm run lint` checks every file).
    void prettier.resolveConfig(file).then(async (options) => {
      fs.writeFileSync(file, await prettier.format(JSON.stringify(out, null, 2), { ...options, filepath: file }));
      console.log(`${file}: ${Object.keys(out.actions).length} actions, ${Object.keys(out.models).length} models @${commit}`);
    });
  }
}
