/**
 * Edits a stack settings file in place with the `yaml` document API, so that
 * comments, key order and every other value are kept byte for byte.
 */
import YAML from "yaml";

/** The text of `text` with `config.<key>` set to `value` (a string). */
export function setStackConfigValue(text: string, key: string, value: string): string {
  const doc = YAML.parseDocument(text);
  if (doc.errors.length > 0) throw new Error(`not valid YAML: ${doc.errors[0].message.split("\n")[0]}`);
  if (!doc.has("config")) doc.set("config", doc.createNode({}));
  doc.setIn(["config", key], value);
  return doc.toString();
}
