/**
 * MySQL -> MaxCompute column type mapping: the one table every generator in the
 * project uses (warehouse ODS tables, `npm run ddl`, the preflight's "no faithful
 * mapping" check), so `sql/` and the stack never disagree.
 *
 * Sources (DESIGN.md): MaxCompute's data-type mapping page, DataWorks MySQL Reader /
 * MaxCompute Writer, Flink CDC's MaxCompute pipeline connector. MaxCompute type
 * system 2 is assumed (the warehouse project sets `typeSystem: "2"`), which is what
 * makes TINYINT, SMALLINT, DATETIME, BINARY and DECIMAL(p,s) available.
 */

/** How faithfully a MySQL value survives the mapping. */
export type MappingFidelity =
  /** Every value maps to an equal value. */
  | "exact"
  /** Every value is kept, but as a wider or textual type (e.g. ENUM -> STRING). */
  | "widened"
  /** Some values or semantics are not kept (e.g. DECIMAL(65,30) as STRING loses numeric semantics). */
  | "lossy";

/** The result of mapping one MySQL column type. */
export interface TypeMapping {
  /** The MaxCompute type, e.g. `BIGINT`, `DECIMAL(10,2)`, `STRING`. */
  readonly maxComputeType: string;
  /** Stable id of the rule that matched (documented in README "Type mapping"). */
  readonly rule: string;
  readonly fidelity: MappingFidelity;
  /** Why this target type, in one sentence (shown by `npm run ddl` and the preflight). */
  readonly reason: string;
}

/** MaxCompute DECIMAL limits (type system 2): precision 1-38, scale 0-18. */
export const MAXCOMPUTE_DECIMAL_MAX_PRECISION = 38;
export const MAXCOMPUTE_DECIMAL_MAX_SCALE = 18;

const SPATIAL = new Set([
  "geometry",
  "point",
  "linestring",
  "polygon",
  "multipoint",
  "multilinestring",
  "multipolygon",
  "geometrycollection",
  "geomcollection",
]);

interface ParsedType {
  base: string;
  args: string[];
  unsigned: boolean;
}

/**
 * Parses an `information_schema.COLUMNS.COLUMN_TYPE` value (`int(10) unsigned zerofill`,
 * `decimal(10,2)`, `enum('a','b')`, `tinyint(1)`), or a type as written in DDL.
 */
export function parseColumnType(columnType: string): ParsedType {
  const text = columnType.trim().toLowerCase();
  const m = /^([a-z ]+?)\s*(?:\((.*)\))?\s*((?:unsigned|signed|zerofill|\s)*)$/s.exec(text);
  if (!m) {
    return { base: text, args: [], unsigned: false };
  }
  const base = m[1].trim().replace(/\s+/g, " ");
  const args = m[2] === undefined ? [] : splitArgs(m[2]);
  const flags = m[3] ?? "";
  // ZEROFILL implies UNSIGNED in MySQL.
  const unsigned = /unsigned|zerofill/.test(flags);
  return { base, args, unsigned };
}

function splitArgs(inner: string): string[] {
  // enum/set values may contain commas inside quotes.
  const out: string[] = [];
  let cur = "";
  let quoted = false;
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i];
    if (c === "'") {
      if (quoted && inner[i + 1] === "'") {
        cur += "''";
        i++;
        continue;
      }
      quoted = !quoted;
    }
    if (c === "," && !quoted) {
      out.push(cur.trim());
      cur = "";
    } else {
      cur += c;
    }
  }
  if (cur.trim() !== "") out.push(cur.trim());
  return out;
}

function m(maxComputeType: string, rule: string, fidelity: MappingFidelity, reason: string): TypeMapping {
  return { maxComputeType, rule, fidelity, reason };
}

/**
 * Maps a MySQL column type to its MaxCompute type. Never throws: a type with no
 * faithful mapping gets an explicit, reasoned fallback (STRING or BINARY) with
 * fidelity `lossy`, which the preflight reports as a warning.
 */
export function mapMySqlType(columnType: string): TypeMapping {
  const { base, args, unsigned } = parseColumnType(columnType);
  const width = args.length > 0 ? Number(args[0]) : undefined;
  switch (base) {
    case "bool":
    case "boolean":
      return m("BOOLEAN", "tinyint1-boolean", "exact", "BOOL is TINYINT(1), the MySQL convention for booleans");
    case "tinyint":
      if (width === 1 && !unsigned) {
        return m(
          "BOOLEAN",
          "tinyint1-boolean",
          "widened",
          "TINYINT(1) is MySQL's boolean; DTS and DataWorks read it as BOOLEAN (values other than 0/1 become true)",
        );
      }
      return unsigned
        ? m("SMALLINT", "tinyint-unsigned", "exact", "TINYINT UNSIGNED (0..255) exceeds MaxCompute TINYINT (-128..127)")
        : m("TINYINT", "tinyint", "exact", "same range");
    case "smallint":
      return unsigned
        ? m("INT", "smallint-unsigned", "exact", "SMALLINT UNSIGNED (0..65535) exceeds SMALLINT")
        : m("SMALLINT", "smallint", "exact", "same range");
    case "mediumint":
      return m("INT", "mediumint", "exact", "MaxCompute has no 24-bit integer; INT holds every MEDIUMINT value, signed or not");
    case "int":
    case "integer":
      return unsigned ? m("BIGINT", "int-unsigned", "exact", "INT UNSIGNED (0..4294967295) exceeds INT") : m("INT", "int", "exact", "same range");
    case "bigint":
      return unsigned
        ? m("DECIMAL(20,0)", "bigint-unsigned", "exact", "BIGINT UNSIGNED (up to 18446744073709551615) exceeds BIGINT; DECIMAL(20,0) holds it exactly")
        : m("BIGINT", "bigint", "exact", "same range");
    case "float":
      // FLOAT(p) with p > 24 is a DOUBLE in MySQL.
      if (width !== undefined && args.length === 1 && width > 24) {
        return m("DOUBLE", "float-double", "exact", "FLOAT(p) with p > 24 is stored as DOUBLE by MySQL");
      }
      return m("FLOAT", "float", "exact", "same IEEE-754 single precision");
    case "double":
    case "double precision":
    case "real":
      return m("DOUBLE", "double", "exact", "same IEEE-754 double precision");
    case "decimal":
    case "numeric":
    case "dec":
    case "fixed": {
      const p = width ?? 10;
      const s = args.length > 1 ? Number(args[1]) : 0;
      if (p <= MAXCOMPUTE_DECIMAL_MAX_PRECISION && s <= MAXCOMPUTE_DECIMAL_MAX_SCALE) {
        return m(`DECIMAL(${p},${s})`, "decimal", "exact", "MaxCompute DECIMAL(p,s) allows p <= 38, s <= 18");
      }
      return m(
        "STRING",
        "decimal-too-wide",
        "lossy",
        `DECIMAL(${p},${s}) exceeds MaxCompute DECIMAL (precision <= ${MAXCOMPUTE_DECIMAL_MAX_PRECISION}, scale <= ${MAXCOMPUTE_DECIMAL_MAX_SCALE}); kept exactly as text, numeric semantics lost`,
      );
    }
    case "bit":
      if ((width ?? 1) === 1) {
        return m("BOOLEAN", "bit1-boolean", "exact", "BIT(1) holds one bit");
      }
      return m("BINARY", "bit-binary", "widened", "BIT(n) with n > 1 is a bit string; kept as its bytes");
    case "char":
    case "varchar":
    case "nchar":
    case "nvarchar":
    case "national char":
    case "national varchar":
    case "character":
    case "character varying":
    case "tinytext":
    case "text":
    case "mediumtext":
    case "longtext":
    case "long":
    case "long varchar":
      return m("STRING", "text", "exact", "MaxCompute STRING holds up to 8 MB of UTF-8 and has no length limit to keep in sync with the source");
    case "enum":
      return m("STRING", "enum", "widened", "MaxCompute has no ENUM; the label is kept as text");
    case "set":
      return m("STRING", "set", "widened", "MaxCompute has no SET; the comma-separated labels are kept as text");
    case "json":
      return m("STRING", "json", "widened", "MaxCompute JSON type is not enabled by default; the document is kept as text (query it with GET_JSON_OBJECT)");
    case "time":
      return m("STRING", "time", "widened", "MaxCompute has no time-of-day type; TIME (which may exceed 24h) is kept as text");
    case "year":
      return m("INT", "year", "exact", "YEAR is a number 1901..2155");
    case "date":
      return m("DATE", "date", "exact", "same calendar date (type system 2)");
    case "datetime":
      return m("DATETIME", "datetime", "exact", "same wall-clock value; fractional seconds beyond milliseconds are truncated by DTS/DataWorks");
    case "timestamp":
      return m("TIMESTAMP", "timestamp", "exact", "an instant, kept as an instant (nanosecond precision)");
    case "binary":
    case "varbinary":
    case "tinyblob":
    case "blob":
    case "mediumblob":
    case "longblob":
    case "long varbinary":
      return m("BINARY", "binary", "exact", "raw bytes (MaxCompute BINARY holds up to 8 MB)");
    default:
      if (SPATIAL.has(base)) {
        return m("STRING", "spatial", "widened", "MaxCompute has no geometry type; DTS/DataWorks write the value as text (WKT/hex)");
      }
      return m("STRING", "unknown-fallback", "lossy", `no mapping known for MySQL type "${columnType}"; kept as text so the sync does not fail`);
  }
}
