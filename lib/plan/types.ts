/**
 * The offline plan's data model: what `npm run plan -- --format json` prints and
 * what the diff, cost model and policies read. Pure types.
 */

import { SECRET_PLACEHOLDER } from "../config/types";

/** Marker that replaces every secret value in a plan: the one `SECRET_PLACEHOLDER`. */
export const SECRET_MARKER = SECRET_PLACEHOLDER;
/** Marker for a value known only after deployment (e.g. the id of a resource not yet created). */
export const COMPUTED_MARKER = "[computed]";

/** One resource the program registered. */
export interface PlannedResource {
  /** Pulumi URN (`urn:pulumi:<stack>::photo-analytics::<parent types$>type::name`). */
  readonly urn: string;
  /** Type token, e.g. `alicloud:maxcompute/project:Project`, `photo-analytics:maxcompute:Warehouse`. */
  readonly type: string;
  /** Logical name. */
  readonly name: string;
  /** Parent URN, or null for the stack's top-level resources. */
  readonly parent: string | null;
  /** Inputs as registered, outputs resolved, secrets replaced by `SECRET_MARKER`, keys sorted. */
  readonly inputs: Record<string, unknown>;
  readonly protect: boolean;
  readonly retainOnDelete: boolean;
  readonly deleteBeforeReplace: boolean;
  /** Alias URNs/names given in options (renames that must not replace). */
  readonly aliases: readonly string[];
  /** Input paths Pulumi ignores after creation (`ignoreChanges`); the diff ignores them too. */
  readonly ignoreChanges?: readonly string[];
  /** Input paths whose change replaces the resource (`replaceOnChanges`), as Pulumi does. */
  readonly replaceOnChanges?: readonly string[];
  /**
   * URNs of the resources named in the `dependsOn` option, as given (a component is one entry: the
   * engine waits for all its resources), sorted. Absent in plans recorded before it was kept.
   */
  readonly dependsOn?: readonly string[];
  /**
   * URNs of the resources whose outputs the inputs reference (the property dependencies the SDK
   * sends; a component's output counts as its resources'), sorted. With `dependsOn`, what the
   * engine orders this resource after: created after them, deleted before them.
   */
  readonly inputDependencies?: readonly string[];
  /** True for ComponentResources (no cloud object of their own). */
  readonly component: boolean;
}

/** A whole plan. */
export interface Plan {
  readonly stack: string;
  readonly stage: string;
  readonly region: string;
  /** Sorted by URN. */
  readonly resources: readonly PlannedResource[];
  /** Stack outputs, secrets masked. */
  readonly outputs: Record<string, unknown>;
}
