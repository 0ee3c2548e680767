/**
 * JSON Schema validators, compiled ahead of time when they can be: each validator is a
 * {@link ValidatorSpec} (schema, the schemas it refers to, ajv options, annotation keywords),
 * one source for the runtime compile and for the standalone code `scripts/build.js` generates
 * into `bin/generated/validators.js`. A precompiled validator is used only when it was
 * generated from the very spec in force ({@link specKey} equal); otherwise the spec is compiled
 * with ajv at first use, so a schema change can never leave a stale validator. Pure: the edge
 * (project-files.ts) hands the generated module in with {@link usePrecompiledValidators}.
 */
import type Ajv from "ajv";
import type { Options, ValidateFunction } from "ajv";

/** A validator as data. */
export interface ValidatorSpec {
  /** Stable name (the generated module's export). */
  readonly id: string;
  /** The schema validated against. */
  readonly schema: object;
  /** Schemas `schema` refers to by `$id`. @default none */
  readonly refs?: readonly object[];
  /** ajv options (`code.source` is added for generation). */
  readonly options: Options;
  /** Annotation-only keywords (name and schema type), allowed under `strict`. @default none */
  readonly keywords?: readonly { readonly keyword: string; readonly schemaType: "object" | "string" }[];
}

/** One generated validator: the spec key it was generated from and the function. */
export interface PrecompiledValidator {
  readonly specKey: string;
  readonly validate: ValidateFunction;
}

/** The text that identifies a spec: a validator generated from another text is stale. */
export function specKey(spec: ValidatorSpec): string {
  return JSON.stringify({ schema: spec.schema, refs: spec.refs ?? [], options: spec.options, keywords: spec.keywords ?? [] });
}

/** An ajv instance set up for `spec` (its options, keywords and referenced schemas). */
export function ajvFor(spec: ValidatorSpec, extra: Options = {}): Ajv {
  // Loaded on first use: a process that validates with precompiled code never loads ajv's compiler.
  const AjvClass = (require("ajv") as { default: typeof Ajv }).default;
  const ajv = new AjvClass({ ...spec.options, ...extra });
  for (const k of spec.keywords ?? []) ajv.addKeyword({ keyword: k.keyword, schemaType: k.schemaType });
  for (const r of spec.refs ?? []) ajv.addSchema(r);
  return ajv;
}

let precompiled: Readonly<Record<string, PrecompiledValidator>> = {};
const compiled = new Map<string, ValidateFunction>();

/** Makes generated validators available (called by the edge that loaded them). */
export function usePrecompiledValidators(generated: Readonly<Record<string, PrecompiledValidator>>): void {
  precompiled = generated;
  compiled.clear();
}

/** Whether `spec` is served by generated code (false: compiled at run time). */
export function isPrecompiled(spec: ValidatorSpec): boolean {
  return precompiled[spec.id]?.specKey === specKey(spec);
}

/** The validator for `spec`: the generated one when it matches the spec, else compiled once now. */
export function validatorFor(spec: ValidatorSpec): ValidateFunction {
  let v = compiled.get(spec.id);
  if (v) return v;
  v = isPrecompiled(spec) ? precompiled[spec.id].validate : ajvFor(spec).compile(spec.schema);
  compiled.set(spec.id, v);
  return v;
}
