/**
 * The one shape of a problem found in a user's input (stack config, realtime, tracking and
 * FlowSpec rules) and the one shape of a rule that finds them: rules are data, `{id, check}`,
 * and `check` returns the problems it finds (none when the input complies). A problem names
 * the key it concerns, the value seen and what is allowed; `message` is what is printed and
 * names all three. Secret values are never shown.
 */

/** One problem: `message` is what is printed (it names `key`, the value and what is allowed). */
export interface Problem {
  /** Key path, e.g. `photo-analytics:tables[2].incrementalColumn` (FlowSpec: `rerun.times`). */
  readonly key: string;
  /** The value seen; absent when the key is not set or the value is a secret. */
  readonly value?: unknown;
  /** What is allowed, in words (e.g. `an integer from 0 to 10`). */
  readonly allowed?: string;
  /** The line printed: names the key, the value and what is allowed. */
  readonly message: string;
}

/** A rule over some input `C`, written as data: a stable id and a check returning problems. */
export interface Rule<C> {
  /** Stable id, kebab-case (e.g. `hourly-needs-incremental-column`). */
  readonly id: string;
  /** The problems found; empty when `C` complies. */
  readonly check: (ctx: C) => readonly Problem[];
}

/** Runs every rule over `ctx`; the problems in rule order. */
export function runRules<C>(rules: readonly Rule<C>[], ctx: C): Problem[] {
  return rules.flatMap((r) => r.check(ctx));
}

/** A problem whose message is `message` (the key, value and allowed fields kept beside it). */
export function problem(key: string, message: string, details: { value?: unknown; allowed?: string } = {}): Problem {
  return { key, ...details, message };
}

/** Shows a value in a message: JSON, cut to 80 characters. */
export function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
