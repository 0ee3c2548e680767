/**
 * `node bin/cli/pr-comment.js --title <text> --out comment.md <stack>=<diff.md> ...`: the one
 * sticky PR comment from each stack's Markdown diff, under GitHub's comment limit
 * (lib/plan/pr-comment.ts). Used by .github/workflows/pr-plan.yml.
 */
import * as fs from "fs";
import { Command } from "commander";
import { prComment } from "../lib/plan/pr-comment";
import { EXIT, parseOptions, reportError } from "./common";
import { ProgramError } from "./program-error";

interface Options {
  title: string;
  out: string;
}

export function main(argv: string[]): number {
  const program = new Command()
    .name("pr-comment")
    .requiredOption("--title <markdown>", "the comment's first lines")
    .requiredOption("--out <file>", "where to write the comment")
    .argument("<stack=file...>", "each stack and its Markdown diff");
  const opts = parseOptions<Options>(program, argv);
  if (typeof opts === "number") return opts;
  try {
    const sections = program.args.map((a) => {
      const at = a.indexOf("=");
      if (at <= 0 || at === a.length - 1)
        throw new ProgramError(`argument "${a}": expected <stack>=<file> (the stack's name and its Markdown diff), e.g. prod=plans/prod.md`);
      const [stack, file] = [a.slice(0, at), a.slice(at + 1)];
      let markdown: string;
      try {
        markdown = fs.readFileSync(file, "utf8");
      } catch (e) {
        throw new ProgramError(`argument "${a}": cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      }
      return { stack, markdown, command: `npm run plan -- --stack ${stack} --format markdown --against <base plan.json>` };
    });
    fs.writeFileSync(opts.out, prComment(opts.title, sections));
    return EXIT.ok;
  } catch (e) {
    return reportError(e);
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
