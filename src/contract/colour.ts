/**
 * Colour contrast (WCAG 2.1, 1.4.3): a municipality's primary colour carries white text
 * (buttons, the header), so it must reach 4.5:1 against white. Shared by the server, which
 * refuses a colour below it, and the admin page, which warns while the colour is typed.
 */

/** "#rrggbb", lower- or upper-case. */
export const HEX_COLOUR = /^#[0-9a-fA-F]{6}$/;

/** The contrast a colour carrying white text must reach (WCAG 2.1 AA, normal text). */
export const MIN_CONTRAST_WITH_WHITE = 4.5;

/** Relative luminance of "#rrggbb" (WCAG 2.1 definition). */
export function relativeLuminance(hex: string): number {
  const channel = (i: number) => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

/** The contrast ratio of white text on "#rrggbb" (1 … 21), rounded down to two decimals. */
export function contrastWithWhite(hex: string): number {
  const ratio = 1.05 / (relativeLuminance(hex) + 0.05);
  return Math.floor(ratio * 100) / 100;
}
