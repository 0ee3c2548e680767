/** `npm run bench [-- --rounds 7]`: speed and memory of the offline plan and the source toolkit (bench/run.ts). */
import { EXIT } from "../lib/exit-codes";
import { runBench } from "../bench/run";
import { defineCommand, UsageError } from "./command";

export const command = defineCommand<{ rounds: string }>({
  name: "bench",
  summary: "Time the offline plan (fresh processes, medians and ratios to the bare SDK) and the source toolkit; about 40 s",
  options: (p) => p.option("--rounds <n>", "rounds of the plan cases (1-50); the 1,000-table case runs half as many", "7"),
  exitCodes: { 0: "the table printed", 1: "bad option, or a case failed" },
  examples: ["npm run bench", "npm run bench -- --rounds 3"],
  run: async (opts, { io }) => {
    const rounds = Number(opts.rounds);
    if (!Number.isInteger(rounds) || rounds < 1 || rounds > 50)
      throw new UsageError(`--rounds "${opts.rounds}" is not allowed; expected an integer from 1 to 50`);
    await runBench((line) => io.stdout(line + "\n"), rounds);
    return EXIT.ok;
  },
});

export const main = command.main;
