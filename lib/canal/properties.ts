/**
 * Java `.properties` text: a writer for the files the Canal server reads, and a parser that
 * follows `java.util.Properties.load(Reader)` so tests can read the written files back the way
 * the JVM does. Pure: no I/O.
 *
 * Rules implemented (Java SE `java.util.Properties#load(java.io.Reader)` javadoc):
 * - a line is a natural line; a line ending in an odd number of `\` continues on the next line,
 *   whose leading whitespace is dropped;
 * - blank lines and lines whose first non-whitespace character is `#` or `!` are comments;
 * - the key ends at the first unescaped `=`, `:` or whitespace; whitespace around the separator
 *   is skipped (one `=` or `:` at most);
 * - escapes: `\t \n \r \f`, `\uXXXX`, and `\` before any other character stands for it.
 * The writer escapes so that the parser (and the JVM) give back exactly the value written:
 * `\`, leading spaces, `=`, `:`, `#`, `!` and control characters; non-ASCII as `\uXXXX`.
 */

/** One `key=value` entry, in file order. */
export interface PropertyEntry {
  readonly key: string;
  readonly value: string;
}

/** A file section: an optional comment block, then entries. */
export interface PropertySection {
  readonly comment?: string;
  readonly entries: readonly PropertyEntry[];
}

function escape(s: string, isKey: boolean): string {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    const code = c.charCodeAt(0);
    if (c === "\\") out += "\\\\";
    else if (c === "\t") out += "\\t";
    else if (c === "\n") out += "\\n";
    else if (c === "\r") out += "\\r";
    else if (c === "\f") out += "\\f";
    else if (c === " " && (isKey || i === 0)) out += "\\ ";
    else if (c === "=" || c === ":" || c === "#" || c === "!") out += `\\${c}`;
    else if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).padStart(4, "0")}`;
    else out += c;
  }
  return out;
}

/** The text of a properties file: sections separated by a blank line, comments as `# ...` lines. */
export function writeProperties(sections: readonly PropertySection[]): string {
  const seen = new Set<string>();
  const blocks = sections.map((s) => {
    const lines: string[] = [];
    if (s.comment) for (const l of s.comment.split("\n")) lines.push(`# ${l}`.trimEnd());
    for (const e of s.entries) {
      if (seen.has(e.key)) throw new Error(`property "${e.key}" is written twice; each key may appear once (the JVM keeps only the last)`);
      seen.add(e.key);
      lines.push(`${escape(e.key, true)}=${escape(e.value, false)}`);
    }
    return lines.join("\n");
  });
  return blocks.join("\n\n") + "\n";
}

/** Logical lines of a properties text (continuations joined, comments and blanks dropped). */
function logicalLines(text: string): string[] {
  const natural = text.split(/\r\n|\r|\n/);
  const out: string[] = [];
  let current: string | undefined;
  for (const raw of natural) {
    const line = current === undefined ? raw.replace(/^[ \t\f]+/, "") : raw.replace(/^[ \t\f]+/, "");
    if (current === undefined && (line === "" || line.startsWith("#") || line.startsWith("!"))) continue;
    const trailing = /\\+$/.exec(line)?.[0].length ?? 0;
    const continues = trailing % 2 === 1;
    const body = continues ? line.slice(0, -1) : line;
    current = (current ?? "") + body;
    if (!continues) {
      out.push(current);
      current = undefined;
    }
  }
  if (current !== undefined) out.push(current);
  return out;
}

function unescape(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c !== "\\") {
      out += c;
      continue;
    }
    const n = s[++i];
    if (n === undefined) break;
    if (n === "t") out += "\t";
    else if (n === "n") out += "\n";
    else if (n === "r") out += "\r";
    else if (n === "f") out += "\f";
    else if (n === "u") {
      const hex = s.slice(i + 1, i + 5);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new Error(`malformed \\uxxxx escape "\\u${hex}"`);
      out += String.fromCharCode(parseInt(hex, 16));
      i += 4;
    } else out += n;
  }
  return out;
}

/** Parses properties text as `Properties.load` does; a later duplicate key wins, as in the JVM. */
export function parseProperties(text: string): Map<string, string> {
  const props = new Map<string, string>();
  for (const line of logicalLines(text)) {
    let i = 0;
    let key = "";
    for (; i < line.length; i++) {
      const c = line[i];
      if (c === "\\") {
        key += c + (line[i + 1] ?? "");
        i++;
        continue;
      }
      if (c === "=" || c === ":" || c === " " || c === "\t" || c === "\f") break;
      key += c;
    }
    while (i < line.length && /[ \t\f]/.test(line[i])) i++;
    if (line[i] === "=" || line[i] === ":") i++;
    while (i < line.length && /[ \t\f]/.test(line[i])) i++;
    props.set(unescape(key), unescape(line.slice(i)));
  }
  return props;
}
