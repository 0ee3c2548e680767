/**
 * JSON as the APIs write it, read and written without losing digits: DataWorks ids have 19
 * digits (beyond 2^53, where `JSON.parse` and `Number()` round them), so an integer too large for a
 * double is read as the string of its digits, and {@link ApiInteger} writes digits as a JSON
 * number without passing through a double.
 */

/** An integer written as a JSON number from its digits (`{"Ids":[7000000000000000001]}`). */
export class ApiInteger {
  readonly digits: string;
  constructor(digits: string | number) {
    const d = String(digits).trim();
    if (!/^-?\d+$/.test(d)) throw new Error(`"${d}" is not an integer id`);
    this.digits = d;
  }
}

/** JSON text of `v`, with every {@link ApiInteger} written as its digits. */
export function stringifyApiJson(v: unknown): string {
  const digits: string[] = [];
  const text = JSON.stringify(v, (_k, x: unknown) => {
    if (x instanceof ApiInteger) {
      digits.push(x.digits);
      return `\u0000int${digits.length - 1}\u0000`;
    }
    return x;
  });
  return text.replace(/"\\u0000int(\d+)\\u0000"/g, (_m, n: string) => digits[Number(n)]);
}

/**
 * `JSON.parse`, except that an integer beyond Number.MAX_SAFE_INTEGER becomes the string of its
 * digits (the caller reads ids as strings anyway). Throws a SyntaxError on malformed text.
 */
export function parseApiJson(text: string): unknown {
  // Quote long integer literals outside strings, then parse: a scan that skips string contents.
  let out = "";
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (c === "-" || (c >= "0" && c <= "9")) {
      const m = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
      if (m) {
        const lit = m[0];
        out += !m[1] && !m[2] && !Number.isSafeInteger(Number(lit)) ? `"${lit}"` : lit;
        i += lit.length;
        continue;
      }
    }
    out += c;
    i++;
  }
  return JSON.parse(out);
}
