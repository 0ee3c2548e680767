/**
 * Thrown (message only) when the program rejects its config. Its own module so that the
 * commands that report it (cli/common.ts) do not load the Pulumi SDK with record-plan.ts.
 */
export class ProgramError extends Error {}
