/**
 * The one sticky PR comment (.github/workflows/pr-plan.yml): every stack's Markdown diff
 * (`npm run plan -- --format markdown --against`: changes, data-flow picture, monthly cost
 * delta, policy verdicts) under GitHub's 65,536-character limit. Large parts are collapsed in
 * `<details>`; when the comment is still too long, the largest parts are cut (a picture is
 * dropped whole: half a Mermaid block does not render) with a note saying what is missing and
 * how to see it all. Pure.
 */

/** GitHub's limit on an issue or pull-request comment body, in characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;

/** A part larger than this (characters) is collapsed in `<details>`. */
export const COLLAPSE_OVER_CHARS = 4_000;

/** One stack's section: its Markdown diff, or the error its plan printed. */
export interface StackSection {
  readonly stack: string;
  readonly markdown: string;
  /** The command that prints the whole diff, for the truncation note. */
  readonly command: string;
}

interface Part {
  heading: string;
  body: string;
}

/** Splits a stack's Markdown at its `#### ` headings; the text before the first is the head. */
function parts(markdown: string): { head: string; parts: Part[] } {
  const chunks = markdown.split(/^#### /m);
  const [lead, ...rest] = chunks;
  const sections = rest.map((c) => ({ heading: c.slice(0, c.indexOf("\n")).trim(), body: c.slice(c.indexOf("\n") + 1).trim() }));
  // The head keeps the title, the summary and any error; the resource table becomes a part of its own.
  const table = lead.search(/^\|/m);
  if (table < 0) return { head: lead.trimEnd(), parts: sections };
  return { head: lead.slice(0, table).trimEnd(), parts: [{ heading: "Changes", body: lead.slice(table).trim() }, ...sections] };
}

const firstLine = (body: string) => (body.split("\n").find((l) => l.trim() !== "" && !l.startsWith("|") && !l.startsWith("```")) ?? "").replace(/[*`]/g, "");

function renderPart(p: Part): string {
  if (p.body.length <= COLLAPSE_OVER_CHARS) return `#### ${p.heading}\n\n${p.body}`;
  const summary = firstLine(p.body);
  return `<details><summary><b>${p.heading}</b>${summary ? `: ${summary}` : ""} (${p.body.split("\n").length} lines)</summary>\n\n${p.body}\n\n</details>`;
}

/** Cuts `body` to at most `chars` characters at a line boundary; a fenced block is dropped whole. */
function cut(body: string, chars: number): string {
  if (body.startsWith("```")) return "";
  const lines = body.split("\n");
  const kept: string[] = [];
  let n = 0;
  for (const l of lines) {
    if (n + l.length + 1 > chars) break;
    kept.push(l);
    n += l.length + 1;
  }
  return kept.join("\n");
}

/** The comment: `title`, then each stack, within `limit` characters. */
export function prComment(title: string, sections: readonly StackSection[], limit: number = GITHUB_COMMENT_LIMIT): string {
  const split = sections.map((s) => ({ s, ...parts(s.markdown) }));
  const render = () => [title, ...split.map((x) => [x.head, ...x.parts.map(renderPart)].join("\n\n"))].join("\n\n") + "\n";
  let text = render();
  // Too long: cut the largest parts first, each to what the limit leaves (with room for its note).
  const all = split.flatMap((x) => x.parts.map((p) => ({ x, p }))).sort((a, b) => b.p.body.length - a.p.body.length);
  for (const { x, p } of all) {
    if (text.length <= limit) break;
    const before = p.body.length;
    const note = (shown: number) =>
      `> ✂️ **truncated**: ${shown === 0 ? "not shown" : `${before - shown} of ${before} characters not shown`} (GitHub limits a comment to ${limit.toLocaleString("en-US")} characters). The whole diff: \`${x.s.command}\``;
    const room = Math.max(0, before - (text.length - limit) - 400);
    const kept = cut(p.body, room);
    p.body = kept === "" ? note(0) : `${kept}\n\n${note(kept.length)}`;
    text = render();
  }
  if (text.length > limit) {
    // Still too long (many stacks): keep each stack's head and the notes only.
    text =
      [title, ...split.map((x) => `${x.head}\n\n> ✂️ **truncated**: details not shown (comment limit). The whole diff: \`${x.s.command}\``)].join("\n\n") +
      "\n";
  }
  return text.length > limit ? text.slice(0, limit - 200) + "\n\n> ✂️ **truncated** at GitHub's comment limit.\n" : text;
}
