/**
 * Every command, by its npm script name: the registry cli/main.ts runs from. Each entry loads its
 * module only when run, so that `preflight` does not load the Pulumi SDK and `--help` is quick.
 * tests/commands.test.ts checks that every package.json script runs a command from here (or is
 * one of the third-party tools listed there) and spawns each one as a user does.
 */
import type { CommandIo, DefinedCommand } from "./command";

type Loader = () => { command: DefinedCommand<never, CommandIo> };

export const COMMANDS: Readonly<Record<string, Loader>> = {
  init: () => require("./init"),
  plan: () => require("./plan"),
  promote: () => require("./promote"),
  preflight: () => require("./preflight"),
  ddl: () => require("./ddl"),
  verify: () => require("./verify"),
  "pr-comment": () => require("./pr-comment"),
  "policy-config": () => require("./policy-config"),
  "docs:config": () => require("./config-docs"),
  "docs:data-flow": () => require("./data-flow-docs"),
  bench: () => require("./bench"),
  prices: () => require("./prices"),
};
