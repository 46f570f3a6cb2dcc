import { describe, expect, it } from '@jest/globals';
import {
  mcpResource,
  mcpScopesAmong,
  protectedResourceMetadataUrl,
  scopeCovers,
} from '../../src/mcp/mcp-resource.js';

describe('the MCP endpoint as a protected resource', () => {
  it('puts the well-known segment between the host and the path (RFC 9728 §3.1)', () => {
    expect(mcpResource('https://id.example.com')).toBe('https://id.example.com/mcp');
    expect(protectedResourceMetadataUrl('https://id.example.com')).toBe(
      'https://id.example.com/.well-known/oauth-protected-resource/mcp',
    );
    expect(protectedResourceMetadataUrl('https://example.com/auth')).toBe(
      'https://example.com/.well-known/oauth-protected-resource/auth/mcp',
    );
  });

  it('lets the admin scope read, never the read scope write', () => {
    const admin = new Set(['gatehouse:admin']);
    const read = new Set(['gatehouse:read']);
    expect([scopeCovers(admin, 'gatehouse:read'), scopeCovers(admin, 'gatehouse:admin')]).toEqual([
      true,
      true,
    ]);
    expect([scopeCovers(read, 'gatehouse:read'), scopeCovers(read, 'gatehouse:admin')]).toEqual([
      true,
      false,
    ]);
    expect(scopeCovers(new Set(['openid', 'invoices:read']), 'gatehouse:read')).toBe(false);
  });

  it('keeps only its own scopes', () => {
    expect(mcpScopesAmong(['openid', 'gatehouse:admin', 'invoices:read', 'gatehouse:read'])).toEqual([
      'gatehouse:admin',
      'gatehouse:read',
    ]);
  });
});
