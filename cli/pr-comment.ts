/**
 * `npm run pr-comment -- --title <text> --out comment.md <stack>=<diff.md> ...`: the one sticky PR
 * comment from each stack's Markdown diff, under GitHub's comment limit (lib/plan/pr-comment.ts).
 * Used by .github/workflows/pr-plan.yml.
 */
import * as fs from "fs";
import { prComment } from "../lib/plan/pr-comment";
import { EXIT } from "../lib/exit-codes";
import { CommandError, defineCommand } from "./command";

interface Options {
  title: string;
  out: string;
}

export const command = defineCommand<Options>({
  name: "pr-comment",
  summary: "Build the one pull-request comment from each stack's Markdown diff, under GitHub's 65,536-character limit",
  options: (p) =>
    p
      .requiredOption("--title <markdown>", "the comment's first lines")
      .requiredOption("--out <file>", "where to write the comment")
      .argument("<stack=file...>", "each stack and its Markdown diff (npm run plan -- --format markdown --against ...)"),
  exitCodes: { 0: "the comment written to --out", 1: "bad option, a malformed <stack>=<file> argument or an unreadable file" },
  examples: ['npm run pr-comment -- --title "## Plan" --out comment.md dev=plans/dev.md prod=plans/prod.md'],
  run: (opts, { args, io }) => {
    const sections = args.map((a) => {
      const at = a.indexOf("=");
      if (at <= 0 || at === a.length - 1)
        throw new CommandError(`argument "${a}": expected <stack>=<file> (the stack's name and its Markdown diff), e.g. prod=plans/prod.md`);
      const [stack, file] = [a.slice(0, at), a.slice(at + 1)];
      let markdown: string;
      try {
        markdown = fs.readFileSync(file, "utf8");
      } catch (e) {
        throw new CommandError(`argument "${a}": cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      }
      return { stack, markdown, command: `npm run plan -- --stack ${stack} --format markdown --against <base plan.json>` };
    });
    const text = prComment(opts.title, sections);
    fs.writeFileSync(opts.out, text);
    io.stdout(`wrote ${opts.out} (${sections.length} stack${sections.length === 1 ? "" : "s"}, ${text.length} characters)\n`);
    return EXIT.ok;
  },
});

export const main = command.main;
