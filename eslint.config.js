// ESLint (flat config): typescript-eslint's recommended rules with type information, plus
// Pulumi's rule against Outputs in template literals (they print as "Calling [toString]...").
const js = require("@eslint/js");
const tseslint = require("typescript-eslint");
const pulumi = require("@pulumi/eslint-plugin");
const importX = require("eslint-plugin-import-x");
const { createTypeScriptImportResolver } = require("eslint-import-resolver-typescript");

// lib/ is the pure layer: no file system, network, MySQL, child processes, Pulumi or Alibaba
// Cloud SDKs, and nothing from outside lib/. I/O lives at the edges: stack.ts,
// project-files.ts, providers/, cli/.
const LIB_FORBIDDEN_MODULES = [
  "fs",
  "fs/promises",
  "node:fs",
  "node:fs/promises",
  "http",
  "https",
  "net",
  "dns",
  "child_process",
  "node:child_process",
  "mysql2",
  "mysql2/promise",
].map((name) => ({
  name,
  message: "lib/ is pure: do the I/O in stack.ts, project-files.ts, providers/ or cli/ and hand the values in.",
}));
const LIB_FORBIDDEN_PATTERNS = [
  { group: ["@pulumi/*", "@alicloud/*", "@aliyun-sls/*"], message: "lib/ is pure: no Pulumi or Alibaba Cloud SDK; components/ and providers/ use them." },
  {
    group: ["**/components/**", "**/providers/**", "**/cli/**", "**/policy/**", "**/tests/**", "**/bench/**", "**/stack", "**/project-files", "**/index"],
    message: "lib/ imports nothing from outside lib/.",
  },
];

module.exports = tseslint.config(
  { ignores: ["node_modules/**", "bin/**", "coverage/**", "examples/web-tracking/public/**", "policy/node_modules/**", ".plan-out/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    languageOptions: { parserOptions: { project: "./tsconfig.json", tsconfigRootDir: __dirname } },
    plugins: { "@pulumi": pulumi },
    rules: {
      "@pulumi/no-output-in-template-literal": "error",
      "@pulumi/no-output-instance-in-template-literal": "error",
      // Dynamic providers must `require` SDKs at run time (closure serialization), tests load modules fresh.
      "@typescript-eslint/no-require-imports": "off",
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
    },
  },
  {
    files: ["lib/**/*.ts"],
    rules: { "no-restricted-imports": ["error", { paths: LIB_FORBIDDEN_MODULES, patterns: LIB_FORBIDDEN_PATTERNS }] },
  },
  {
    // No import cycles anywhere in the program (tests and benches excepted).
    files: ["lib/**/*.ts", "components/**/*.ts", "providers/**/*.ts", "cli/**/*.ts", "policy/**/*.ts", "stack.ts", "index.ts", "project-files.ts"],
    plugins: { "import-x": importX },
    settings: {
      "import-x/extensions": [".ts", ".js"],
      "import-x/parsers": { "@typescript-eslint/parser": [".ts"] },
      "import-x/resolver-next": [createTypeScriptImportResolver({ project: "./tsconfig.json" })],
    },
    rules: { "import-x/no-cycle": ["error", { ignoreExternal: true }] },
  },
  {
    files: ["**/*.js"],
    rules: { "@typescript-eslint/no-require-imports": "off" },
    languageOptions: {
      sourceType: "commonjs",
      globals: { require: "readonly", module: "writable", __dirname: "readonly", process: "readonly", console: "readonly" },
    },
  },
);
