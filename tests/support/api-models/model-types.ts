/**
 * The shape of tests/support/api-models/<product>.json: per API action, how the official SDK
 * sends the request and the request and response models (field names as sent on the wire,
 * types, required flags), with the source they were read from.
 */

/** A value's type, as the SDK's `types()` declares it. */
export type TypeModel =
  | { readonly type: "string" | "number" | "boolean" | "any" }
  | { readonly type: "array"; readonly items: TypeModel }
  | { readonly type: "map"; readonly values: TypeModel }
  /** A model (a key of the file's `models`). */
  | { readonly type: "object"; readonly model: string };

/** Where the SDK puts a request parameter. `host`: the SLS project, part of the host name. */
export type ParamLocation = "query" | "body" | "header" | "path" | "host";

/** A field of a model, or a parameter of a request. */
export type FieldModel = TypeModel & {
  readonly required?: boolean;
  /** Requests only: where the parameter travels. */
  readonly in?: ParamLocation;
  /** A "shrink" parameter: a string holding this model as JSON. */
  readonly json?: TypeModel;
};

export interface ApiAction {
  /** HTTP method the SDK uses. */
  readonly method: string;
  /** Path, `{name}` for a path parameter (ROA). */
  readonly pathname: string;
  /** `RPC` or `ROA` (OpenAPI), `REST` (MaxCompute, DataHub). */
  readonly style: string;
  readonly reqBodyType?: string;
  readonly bodyType?: string;
  /** Parameters by wire name; `$body` is a ROA request's whole JSON body. */
  readonly request: Readonly<Record<string, FieldModel>>;
  /** The answer's body. */
  readonly response: TypeModel;
}

export interface ApiModelFile {
  readonly about: string;
  /** Where the models were read: repository, commit, and the files (SDKs) or pages (REST APIs). */
  readonly source: { readonly repository: string; readonly commit: string; readonly directory?: string; readonly files: readonly string[] };
  readonly product: string;
  readonly version: string;
  /** How answers (and bodies) are written: JSON unless `xml` (MaxCompute). */
  readonly format?: "json" | "xml";
  readonly actions: Readonly<Record<string, ApiAction>>;
  readonly models: Readonly<Record<string, Readonly<Record<string, FieldModel>>>>;
}
