/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/tests"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.ts$": ["ts-jest", { diagnostics: false }],
    // dt-sql-parser (the FlinkSQL grammar of tests/realtime-flink*.test.ts) and its antlr4-c3 are ESM only.
    "/node_modules/(dt-sql-parser|antlr4-c3)/.+\\.m?js$": "<rootDir>/tests/support/esm-to-cjs.js",
  },
  transformIgnorePatterns: ["/node_modules/(?!(dt-sql-parser|antlr4-c3)/)"],
  testTimeout: 60000,
};
