/** The one sticky PR comment (lib/plan/pr-comment.ts) stays under GitHub's limit (for 1,000 tables: tests/pr-comment-scale.test.ts). */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { prComment } from "../lib/plan/pr-comment";
import { SMALL_DIFF as small } from "./support/pr-comment";
import { main as prCommentCommand } from "../cli/pr-comment";

describe("PR comment", () => {
  it("keeps a small diff as it is", () => {
    const c = prComment("## plan", [{ stack: "dev", markdown: small, command: "npm run plan" }]);
    expect(c).toContain("#### Monthly cost\n\n**¥38.87 → ¥40.00 (+¥1.13)**");
    expect(c).not.toContain("<details>");
    expect(c).not.toContain("truncated");
  });
});

describe("the pr-comment command", () => {
  it("writes the comment from <stack>=<file> arguments (a file path may hold '=') and names a malformed argument", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pa-prc-"));
    const err: string[] = [];
    const out: string[] = [];
    const io = { stdout: (s: string) => void out.push(s), stderr: (s: string) => void err.push(s) };
    try {
      const md = path.join(dir, "a=b.md");
      fs.writeFileSync(md, "#### dev\n\nno changes\n");
      const file = path.join(dir, "comment.md");
      expect(await prCommentCommand(["--title", "## t", "--out", file, `dev=${md}`], io)).toBe(0);
      expect(fs.readFileSync(file, "utf8")).toContain("no changes");
      expect(out).toEqual([`wrote ${file} (1 stack, ${fs.readFileSync(file, "utf8").length} characters)\n`]);
      expect(await prCommentCommand(["--title", "## t", "--out", file, "plans/dev.md"], io)).toBe(1);
      expect(await prCommentCommand(["--title", "## t", "--out", file, "dev=nosuch.md"], io)).toBe(1);
      expect(err).toEqual([
        'pr-comment: argument "plans/dev.md": expected <stack>=<file> (the stack\'s name and its Markdown diff), e.g. prod=plans/prod.md\n',
        'pr-comment: argument "dev=nosuch.md": cannot read nosuch.md (ENOENT)\n',
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
