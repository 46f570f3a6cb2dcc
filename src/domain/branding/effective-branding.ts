import type { Branding, OrganizationRecord } from '../ports/tenancy.js';
import { normalizeHexColor, onWhite, readableTextOn } from './brand-colors.js';
import { isAllowedLogoUrl } from './logo-url.js';

const FIELDS = ['display_name', 'logo_url', 'primary_color', 'background_color'] as const;
type Field = (typeof FIELDS)[number];

/** Each branding field with the organization that sets it (nearest up the tree). */
export interface EffectiveBranding {
  values: Partial<Record<Field, string>>;
  sources: Partial<Record<Field, string>>;
}

/**
 * Sub-organizations inherit, field by field, what they do not set: a partner's sub-organization
 * shows its parent's logo and colour and may still give its own display name. `chain` is the
 * organization and its ancestors, nearest first (OrganizationRepository.chain). Stored values
 * were checked on the way in; they are checked again here because a page must never render a
 * value that slipped past (an older row, a hand-edited database).
 */
export function effectiveBranding(
  chain: readonly Pick<OrganizationRecord, 'id' | 'branding'>[],
): EffectiveBranding {
  const values: EffectiveBranding['values'] = {};
  const sources: EffectiveBranding['sources'] = {};
  for (const field of FIELDS) {
    for (const organization of chain) {
      const value = usable(field, organization.branding);
      if (value === undefined) continue;
      values[field] = value;
      sources[field] = organization.id;
      break;
    }
  }
  return { values, sources };
}

function usable(field: Field, branding: Branding): string | undefined {
  const value = (branding as Record<string, unknown>)[field];
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  if (field === 'logo_url') return isAllowedLogoUrl(value) ? value : undefined;
  if (field === 'display_name') return value.trim();
  return normalizeHexColor(value);
}

/** What the pages' layout shows for an organization (views/layout.eta reads it as `it.brand`). */
export interface Brand {
  organizationId: string;
  displayName: string;
  logoUrl?: string;
  /** The organization's stylesheet (/branding/<id>.css), versioned by its colours; absent without colours. */
  stylesheet?: string;
}

/** The colours of the organization's stylesheet, each paired with a readable partner. */
export interface BrandPalette {
  /** Buttons: the primary colour, text on it in white or near-black (4.5:1). */
  accent: string;
  onAccent: string;
  /** The primary colour where it is text or a focus ring on the white card (4.5:1, 3:1). */
  accentText: string;
  focusRing: string;
  background?: string;
}

export function paletteOf(branding: EffectiveBranding): BrandPalette | undefined {
  const { primary_color: primary, background_color: background } = branding.values;
  if (!primary && !background) return undefined;
  return {
    ...(primary
      ? {
          accent: primary,
          onAccent: readableTextOn(primary),
          accentText: onWhite(primary),
          focusRing: onWhite(primary, 3),
        }
      : DEFAULT_PALETTE),
    ...(background ? { background } : {}),
  };
}

/** Today's look (views/assets/gatehouse.css): the same rules hold for it. */
export const DEFAULT_PALETTE: BrandPalette = {
  accent: '#1e3a8a',
  onAccent: '#ffffff',
  accentText: '#1e3a8a',
  focusRing: '#1e3a8a',
};
