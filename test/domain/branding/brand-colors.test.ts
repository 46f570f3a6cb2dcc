import { describe, expect, it } from '@jest/globals';
import {
  contrastRatio,
  DARK_TEXT,
  LIGHT_TEXT,
  MIN_TEXT_CONTRAST,
  normalizeHexColor,
  onWhite,
  readableTextOn,
  relativeLuminance,
} from '../../../src/domain/branding/brand-colors.js';
import { DEFAULT_PALETTE } from '../../../src/domain/branding/effective-branding.js';

describe('brand colours', () => {
  it('normalizes #rgb and #rrggbb and refuses anything else', () => {
    expect(normalizeHexColor('#FA0')).toBe('#ffaa00');
    expect(normalizeHexColor('#1E3A8A')).toBe('#1e3a8a');
    for (const bad of ['red', '#ff', '#ffff', '#gggggg', '1e3a8a', '#1e3a8a;}', 'rgb(0,0,0)', ''])
      expect(normalizeHexColor(bad)).toBeUndefined();
  });

  it('computes WCAG luminance and contrast (black on white is 21:1)', () => {
    expect(relativeLuminance('#000')).toBe(0);
    expect(relativeLuminance('#fff')).toBeCloseTo(1, 10);
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#ffffff', '#000000')).toBeCloseTo(21, 5);
    // WCAG's own example: #767676 on white is just over 4.5:1.
    expect(contrastRatio('#767676', '#ffffff')).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio('#777777', '#ffffff')).toBeLessThan(4.5);
  });

  it('puts white on dark colours and near-black on light ones', () => {
    expect(readableTextOn('#1e3a8a')).toBe(LIGHT_TEXT);
    expect(readableTextOn('#000')).toBe(LIGHT_TEXT);
    expect(readableTextOn('#fde047')).toBe(DARK_TEXT);
    expect(readableTextOn('#ffffff')).toBe(DARK_TEXT);
  });

  it('reaches 4.5:1 on every background, mid tones included (pure black where near-black falls short)', () => {
    const steps = [0, 0x33, 0x55, 0x66, 0x77, 0x88, 0x99, 0xbb, 0xff];
    const hex = (value: number) => value.toString(16).padStart(2, '0');
    for (const r of steps)
      for (const g of steps)
        for (const b of steps) {
          const background = `#${hex(r)}${hex(g)}${hex(b)}`;
          expect(contrastRatio(background, readableTextOn(background))).toBeGreaterThanOrEqual(
            MIN_TEXT_CONTRAST,
          );
        }
    // A mid tone where near-black alone is about 4.2:1.
    expect(contrastRatio('#6b7280', DARK_TEXT)).toBeLessThan(MIN_TEXT_CONTRAST);
    expect(contrastRatio('#6b7280', readableTextOn('#6b7280'))).toBeGreaterThanOrEqual(MIN_TEXT_CONTRAST);
  });

  it('keeps a light primary colour off white text and focus rings (near-black instead)', () => {
    expect(onWhite('#1e3a8a')).toBe('#1e3a8a');
    expect(onWhite('#fde047')).toBe(DARK_TEXT);
    // #949494 is 3:1 on white: enough for a focus ring (WCAG 1.4.11), not for text.
    expect(onWhite('#949494', 3)).toBe('#949494');
    expect(onWhite('#949494')).toBe(DARK_TEXT);
  });

  it('the default look meets the same rules', () => {
    expect(contrastRatio(DEFAULT_PALETTE.accent, DEFAULT_PALETTE.onAccent)).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio(DEFAULT_PALETTE.accentText, '#ffffff')).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio(DEFAULT_PALETTE.focusRing, '#ffffff')).toBeGreaterThanOrEqual(3);
    // Body text (#111827) and muted text (#4b5563) on the white card (views/assets/gatehouse.css).
    expect(contrastRatio('#111827', '#ffffff')).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio('#4b5563', '#ffffff')).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio('#b91c1c', '#fef2f2')).toBeGreaterThanOrEqual(4.5);
  });
});
