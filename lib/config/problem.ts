/**
 * The one shape of a problem found in a user's input (stack config, realtime, tracking and
 * FlowSpec rules): the key it concerns, the value seen, what is allowed, and the message
 * printed. Messages name all three; secret values are never shown.
 */

/** One problem: `message` is what is printed (it names `key`, the value and what is allowed). */
export interface Problem {
  /** Full key path, e.g. `photo-analytics:tables[2].incrementalColumn`. */
  readonly key: string;
  readonly message: string;
}

/** Shows a value in a message: JSON, cut to 80 characters. */
export function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
