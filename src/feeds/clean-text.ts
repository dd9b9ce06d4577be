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
