/** Helpers shared by the checks that read global variables. */
import { atLeast, ServerVersion } from "../server";
import type { ServerFacts } from "../facts";

/** A variable's value, or undefined when the server does not have it. */
export function variable(server: ServerFacts, name: string): string | undefined {
  return server.variables[name.toLowerCase()];
}

/** `SET PERSIST` on MySQL 8 (survives restarts); `SET GLOBAL` plus my.cnf elsewhere. */
export function setGlobal(v: ServerVersion, name: string, value: string): string {
  const literal = /^\d+$/.test(value) ? value : `'${value}'`;
  if (v.flavor === "mysql" && atLeast(v, 8, 0)) return `SET PERSIST ${name} = ${literal};`;
  return `SET GLOBAL ${name} = ${literal};\nmy.cnf:\n[mysqld]\n${name} = ${value === "" ? '""' : value}\n(SET GLOBAL applies to new connections; my.cnf keeps it after a restart)`;
}
