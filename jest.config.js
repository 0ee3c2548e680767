// Two jest projects (`npm test` runs both; ./scripts/test.sh runs `npm test`):
// - unit: pure modules, components under mocks, fakes of the HTTP APIs; no MariaDB, no browser,
//   nothing below. The fast loop: `npm run test:unit` (two workers).
// - integration: the tests that start throwaway MariaDB servers, drive the browser, spawn the
//   commands and workflows as processes, run property checks (fast-check), serialize every
//   dynamic provider as `pulumi up` does, parse with the FlinkSQL grammar (dt-sql-parser), or plan
//   the generated 1,000-table stack (scale).
// A test file is integration when its name is listed below; tests/test-projects.test.ts checks
// that no unit test imports what makes a test integration (and that the list names real files).
const INTEGRATION = [
  "commands",
  "compiled-commands",
  "fault-convergence-property",
  "journey",
  "lean-sdk",
  "main-job",
  "plan-properties",
  "pr-comment-scale",
  "provider-serialization",
  "prices-refresh",
  "realtime-canal-merge",
  "realtime-compaction",
  "realtime-flink-grammar",
  "realtime-metrics-alerts",
  "source-checks",
  "source-ddl",
  "source-dts-account",
  "source-preflight",
  "source-sync-account",
  "sql-week",
  "tracking-browser",
  "workflows",
];

const common = {
  testEnvironment: "node",
  roots: ["<rootDir>/tests"],
  transform: {
    "^.+\\.ts$": ["ts-jest", { diagnostics: false }],
    // dt-sql-parser (the FlinkSQL grammar of tests/realtime-flink*.test.ts) and its antlr4-c3 are ESM only.
    "/node_modules/(dt-sql-parser|antlr4-c3)/.+\\.m?js$": "<rootDir>/tests/support/esm-to-cjs.js",
  },
  transformIgnorePatterns: ["/node_modules/(?!(dt-sql-parser|antlr4-c3)/)"],
  // The SDK modules a plan does not use load at their first use (plan-engine/lean-sdk.ts, for Jest).
  setupFiles: ["<rootDir>/tests/support/jest-lean-sdk.ts"],
};

const integrationPattern = `/tests/(${INTEGRATION.join("|")})[^/]*\\.test\\.ts$`;

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 60000,
  projects: [
    { ...common, displayName: "unit", testMatch: ["**/*.test.ts"], testPathIgnorePatterns: ["/node_modules/", integrationPattern] },
    { ...common, displayName: "integration", testRegex: integrationPattern },
  ],
};
