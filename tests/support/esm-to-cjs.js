/**
 * Jest transform for the few ESM-only packages the tests use (dt-sql-parser ships ESM with
 * extensionless imports, which neither Node nor Jest's CommonJS runtime load as they are):
 * compiled to CommonJS with @swc/core (already a dependency), cached by Jest.
 */
const { transformSync } = require("@swc/core");

module.exports = {
  process(source, filename) {
    const out = transformSync(source, {
      filename,
      module: { type: "commonjs" },
      jsc: { parser: { syntax: "ecmascript" }, target: "es2022" },
      sourceMaps: false,
    });
    return { code: out.code };
  },
};
