/**
 * Colour contrast (WCAG 2.1, 1.4.3): the relative luminance of an sRGB colour and the
 * contrast ratio of two colours. A municipality's primary colour is used behind white text
 * (header, buttons) and as link colour on white, so it must reach 4.5:1 against white.
 */

/** `#rrggbb` (lower or upper case). */
export const HEX_COLOUR = /^#[0-9a-fA-F]{6}$/;

/** Contrast that normal-size text needs (WCAG 2.1 AA). */
export const AA_TEXT_CONTRAST = 4.5;

function channel(hex: string, at: number): number {
  const c = Number.parseInt(hex.slice(at, at + 2), 16) / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

/** Relative luminance of `#rrggbb`, 0 (black) … 1 (white). */
export function luminance(hex: string): number {
  return 0.2126 * channel(hex, 1) + 0.7152 * channel(hex, 3) + 0.0722 * channel(hex, 5);
}

/** Contrast ratio of two `#rrggbb` colours, 1 … 21. */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** Whether white text on `hex` (and `hex` text on white) reaches AA for normal text. */
export function readableWithWhite(hex: string): boolean {
  return HEX_COLOUR.test(hex) && contrastRatio(hex, "#ffffff") >= AA_TEXT_CONTRAST;
}

/** `hex` darkened by `amount` (0 … 1) towards black, as `#rrggbb`. */
export function darken(hex: string, amount: number): string {
  const out = [1, 3, 5].map((at) => {
    const v = Math.round(Number.parseInt(hex.slice(at, at + 2), 16) * (1 - amount));
    return v.toString(16).padStart(2, "0");
  });
  return `#${out.join("")}`;
}

/** The contrast a colour carrying white text must reach (the admin API refuses less). */
export const MIN_CONTRAST_WITH_WHITE = AA_TEXT_CONTRAST;

/** The contrast ratio of white text on `#rrggbb` (1 … 21), rounded down to two decimals. */
export function contrastWithWhite(hex: string): number {
  return Math.floor(contrastRatio(hex, "#ffffff") * 100) / 100;
}
