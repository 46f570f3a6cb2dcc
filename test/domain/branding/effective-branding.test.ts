import { describe, expect, it } from '@jest/globals';
import { brandStylesheet, stylesheetVersion } from '../../../src/domain/branding/brand-stylesheet.js';
import { effectiveBranding, paletteOf } from '../../../src/domain/branding/effective-branding.js';
import { isAllowedLogoUrl } from '../../../src/domain/branding/logo-url.js';
import { pageOrganization } from '../../../src/domain/branding/page-organization.js';
import { brandingSchema } from '../../../src/domain/organizations/organization-input.js';

const org = (id: string, branding: Record<string, unknown>) => ({ id, branding });

describe('effective branding', () => {
  it('inherits each field from the nearest organization up the tree that sets it', () => {
    const chain = [
      org('org_child', { display_name: 'Child Ltd' }),
      org('org_parent', { display_name: 'Parent', logo_url: 'https://cdn.parent.example/logo.svg' }),
      org('org_root', { primary_color: '#0F766E', logo_url: '/assets/root.png' }),
    ];
    expect(effectiveBranding(chain)).toEqual({
      values: {
        display_name: 'Child Ltd',
        logo_url: 'https://cdn.parent.example/logo.svg',
        primary_color: '#0f766e',
      },
      sources: { display_name: 'org_child', logo_url: 'org_parent', primary_color: 'org_root' },
    });
  });

  it('is empty when no organization of the tree sets anything', () => {
    expect(effectiveBranding([org('org_a', {}), org('org_b', {})])).toEqual({ values: {}, sources: {} });
    expect(paletteOf(effectiveBranding([org('org_a', {})]))).toBeUndefined();
  });

  it('skips stored values a page must not render and takes the next ancestor instead', () => {
    const chain = [
      org('org_child', {
        logo_url: 'javascript:alert(1)',
        primary_color: 'red; } body { x',
        display_name: '  ',
      }),
      org('org_parent', { logo_url: '/assets/p.png', primary_color: '#123', display_name: 'Parent' }),
    ];
    expect(effectiveBranding(chain).values).toEqual({
      logo_url: '/assets/p.png',
      primary_color: '#112233',
      display_name: 'Parent',
    });
  });

  it('pairs the primary colour with readable text and emits only normalized colours in CSS', () => {
    const palette = paletteOf(
      effectiveBranding([org('org_a', { primary_color: '#FDE047', background_color: '#fff' })]),
    );
    expect(palette).toEqual({
      accent: '#fde047',
      onAccent: '#111827',
      accentText: '#111827',
      focusRing: '#111827',
      background: '#ffffff',
    });
    const css = brandStylesheet(palette!);
    expect(css).toContain('--accent: #fde047;');
    expect(css).toContain('--page-background: #ffffff;');
    expect(stylesheetVersion(css)).toMatch(/^[A-Za-z0-9_-]{12}$/);
    expect(stylesheetVersion(css)).not.toBe(stylesheetVersion(css.replace('#fde047', '#fde048')));
  });
});

describe('logo and colour validation', () => {
  it('accepts https URLs and same-origin paths only', () => {
    for (const good of ['https://cdn.example.com/logo.svg', '/assets/logo.png', '/branding/x.png?v=2'])
      expect(isAllowedLogoUrl(good)).toBe(true);
    for (const bad of [
      'http://cdn.example.com/logo.svg',
      'javascript:alert(1)',
      'data:image/svg+xml,<svg/>',
      '//evil.example/logo.png',
      '/\\evil.example/logo.png',
      'https://user:pass@cdn.example.com/logo.png',
      '/assets/logo one.png',
      'logo.png',
    ])
      expect(isAllowedLogoUrl(bad)).toBe(false);
  });

  it('the admin schema refuses bad colours and logos and unknown fields', () => {
    expect(brandingSchema.safeParse({ primary_color: '#abc', background_color: '#A1B2C3' }).success).toBe(
      true,
    );
    expect(brandingSchema.safeParse({ primary_color: 'blue' }).success).toBe(false);
    expect(brandingSchema.safeParse({ background_color: '#12345' }).success).toBe(false);
    expect(brandingSchema.safeParse({ logo_url: '//evil.example/x.png' }).success).toBe(false);
    expect(brandingSchema.safeParse({ font: 'Comic Sans' }).success).toBe(false);
  });
});

describe('which organization a page shows', () => {
  it('takes the custom domain, then the parameter, the routing result, the chosen, the client', () => {
    const all = {
      customDomain: 'org_cd',
      requested: 'acme',
      routed: 'org_r',
      chosen: 'org_c',
      client: 'org_app',
    };
    expect(pageOrganization(all)).toBe('org_cd');
    expect(pageOrganization({ ...all, customDomain: null })).toBe('acme');
    expect(pageOrganization({ ...all, customDomain: null, requested: null })).toBe('org_r');
    expect(pageOrganization({ chosen: 'org_c', client: 'org_app' })).toBe('org_c');
    expect(pageOrganization({ client: 'org_app' })).toBe('org_app');
    expect(pageOrganization({})).toBeUndefined();
  });
});
