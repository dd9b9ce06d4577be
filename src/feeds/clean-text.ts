/** Removing characters that no feed may carry. */

function invalid(c: number): boolean {
  return (c < 0x20 && c !== 0x09 && c !== 0x0a) || c === 0x7f || c === 0xfffe || c === 0xffff;
}

/**
 * Normalises line breaks to LF and drops C0 controls other than tab and LF, DEL,
 * U+FFFE/U+FFFF and lone surrogates (which would become U+FFFD in UTF-8).
 */
export function cleanText(input: string): string {
  const s = input.replace(/\r\n?/g, "\n");
  let out = "";
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let drop = invalid(c);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      drop = true;
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      drop = true;
    }
    if (drop) {
      out += s.slice(start, i);
      start = i + 1;
    }
  }
  return start === 0 ? s : out + s.slice(start);
}

/**
 * A copy of a value with every string in it (in plain objects and arrays, at any depth)
 * passed through cleanText; other values (numbers, dates, null) are kept as they are.
 * Feeds apply it to each stored event, so that no field can be forgotten.
 */
export function cleanDeep<T>(value: T): T {
  if (typeof value === "string") return cleanText(value) as T;
  if (Array.isArray(value)) return value.map(cleanDeep) as T;
  if (value && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = cleanDeep(v);
    return out as T;
  }
  return value;
}
