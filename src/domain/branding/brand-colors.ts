/**
 * Colour arithmetic for branded pages. WCAG 2.2 §1.4.3 asks 4.5:1 between text and its
 * background; the contrast ratio and relative luminance are the formulas WCAG defines
 * (https://www.w3.org/TR/WCAG22/#dfn-contrast-ratio, #dfn-relative-luminance).
 */
export const HEX_COLOR = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;

/** Text on a branded colour: white, or this near-black (the pages' body text colour). */
export const LIGHT_TEXT = '#ffffff';
export const DARK_TEXT = '#111827';
const BLACK = '#000000';
export const MIN_TEXT_CONTRAST = 4.5;

/** `#abc` or `#aabbcc` as lower-case `#aabbcc`; undefined for anything else. */
export function normalizeHexColor(input: string): string | undefined {
  if (!HEX_COLOR.test(input)) return undefined;
  const hex = input.slice(1).toLowerCase();
  const full = hex.length === 3 ? [...hex].map((digit) => digit + digit).join('') : hex;
  return `#${full}`;
}

function channels(color: string): [number, number, number] {
  const hex = normalizeHexColor(color);
  if (!hex) throw new Error(`not a hex colour: ${color}`);
  return [1, 3, 5].map((start) => parseInt(hex.slice(start, start + 2), 16) / 255) as [
    number,
    number,
    number,
  ];
}

/** WCAG relative luminance, 0 (black) to 1 (white). */
export function relativeLuminance(color: string): number {
  const [r, g, b] = channels(color).map((value) =>
    value <= 0.04045 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4,
  ) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast ratio of two colours, 1 to 21, whichever is lighter. */
export function contrastRatio(first: string, second: string): number {
  const [light, dark] = [relativeLuminance(first), relativeLuminance(second)].sort((a, b) => b - a) as [
    number,
    number,
  ];
  return (light + 0.05) / (dark + 0.05);
}

/**
 * The text colour for a background: white or near-black, whichever contrasts more. Near-black
 * falls short of 4.5:1 on a narrow band of mid tones (about 4.2:1 at worst), where pure black
 * still reaches it: white or black always does (at worst 4.58:1), so a branded button is
 * readable whatever colour the organization picks.
 */
export function readableTextOn(background: string): string {
  const light = contrastRatio(background, LIGHT_TEXT);
  const dark = contrastRatio(background, DARK_TEXT);
  if (Math.max(light, dark) >= MIN_TEXT_CONTRAST) return light >= dark ? LIGHT_TEXT : DARK_TEXT;
  return light >= contrastRatio(background, BLACK) ? LIGHT_TEXT : BLACK;
}

/**
 * The colour to draw `color` on a white surface as text (4.5:1) or, with `minimum` 3, as a focus
 * ring or border (WCAG 2.2 §1.4.11 non-text contrast): the colour itself when it is dark enough,
 * else near-black.
 */
export function onWhite(color: string, minimum = MIN_TEXT_CONTRAST): string {
  return contrastRatio(color, LIGHT_TEXT) >= minimum ? (normalizeHexColor(color) ?? DARK_TEXT) : DARK_TEXT;
}
