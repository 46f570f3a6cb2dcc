import { describe, expect, it } from '@jest/globals';
import {
  routeLogin,
  type RoutingDecision,
  type RoutingInput,
  type RoutingOrganization,
} from '../../../src/domain/realm-discovery/route-login.js';

function org(overrides: Partial<RoutingOrganization> & Pick<RoutingOrganization, 'id'>): RoutingOrganization {
  return {
    slug: overrides.id,
    status: 'active',
    verifiedDomains: [],
    rules: [],
    allowLocalPasswords: false,
    ssoRequired: true,
    ...overrides,
  };
}

function world(): RoutingInput {
  return {
    organizations: [
      org({
        id: 'org-maritime',
        slug: 'maritime',
        verifiedDomains: ['underwriters.example', '*.uw.example', 'xn--bcher-kva.example'],
        rules: [
          { domain: 'underwriters.example', connection: 'azure', priority: 1 },
          { domain: '*.uw.example', connection: 'legacy-okta', priority: 2 },
          { domain: 'a.example', connection: 'azure', priority: 0 },
          { domain: 'bücher.example', connection: 'legacy-okta', priority: 3 },
        ],
        fallbackConnection: 'azure',
      }),
      org({ id: 'org-acme', slug: 'acme', verifiedDomains: ['acme.example'], rules: [] }),
      org({
        id: 'org-friendly',
        slug: 'friendly',
        verifiedDomains: ['friendly.example'],
        allowLocalPasswords: true,
        ssoRequired: false,
      }),
      org({
        id: 'org-frozen',
        slug: 'frozen',
        status: 'suspended',
        verifiedDomains: ['frozen.example', 'eu.uw.example'],
        fallbackConnection: 'frozen-idp',
      }),
    ],
    connections: [
      { id: 'azure', organizationId: 'org-maritime', enabled: true },
      { id: 'legacy-okta', organizationId: 'org-maritime', enabled: true },
      { id: 'acme-saml', organizationId: 'org-acme', enabled: true },
      { id: 'frozen-idp', organizationId: 'org-frozen', enabled: true },
    ],
  };
}

const ruleLines = (decision: RoutingDecision) => decision.explain.filter((line) => line.step === 'rule');
const whyOf = (decision: RoutingDecision, number: number) =>
  ruleLines(decision).find((line) => line.rule?.number === number)?.why;

describe('routeLogin: rules', () => {
  it('routes an exact domain and explains every rule of the organization, in order', () => {
    const decision = routeLogin('Jane@underwriters.example', {}, world());
    expect(decision).toMatchObject({
      kind: 'connection',
      connectionId: 'azure',
      organizationId: 'org-maritime',
    });
    const lines = ruleLines(decision);
    expect(lines.map((line) => line.rule?.number)).toEqual([1, 2, 3, 4]);
    expect(lines.map((line) => line.matched)).toEqual([true, false, false, false]);
    expect(lines[0]).toMatchObject({
      selected: true,
      why: 'domain underwriters.example covers underwriters.example; selected',
    });
    expect(lines[1]?.why).toBe('domain *.uw.example does not cover underwriters.example');
    expect(lines[2]?.why).toBe('rule skipped: a.example is not a verified domain of maritime');
    expect(lines[3]?.why).toBe('domain xn--bcher-kva.example does not cover underwriters.example');
  });

  it('routes any depth under a wildcard, but not the wildcard base', () => {
    expect(routeLogin('x@deep.team.uw.example', {}, world())).toMatchObject({ connectionId: 'legacy-okta' });
    // *.uw.example does not cover uw.example itself, which nobody verified: local sign-in.
    expect(routeLogin('x@uw.example', {}, world())).toMatchObject({
      kind: 'local',
      reason: 'no organization has verified uw.example',
    });
  });

  it('normalizes case, Unicode (NFC + punycode) and ignores plus-addressing', () => {
    expect(routeLogin('  JANE+Claims@UnderWriters.EXAMPLE ', {}, world())).toMatchObject({
      connectionId: 'azure',
    });
    const decomposed = 'u@bu\u0308cher.example'; // NFD "ü"
    const decision = routeLogin(decomposed, {}, world());
    expect(decision).toMatchObject({ kind: 'connection', connectionId: 'legacy-okta' });
    expect(whyOf(decision, 4)).toBe('domain xn--bcher-kva.example covers xn--bcher-kva.example; selected');
    expect(routeLogin('a+b+c@BÜCHER.example', {}, world())).toMatchObject({ connectionId: 'legacy-okta' });
  });

  it('refuses a malformed email', () => {
    expect(routeLogin('not-an-email', {}, world())).toMatchObject({ kind: 'refused' });
    expect(routeLogin('a@*.uw.example', {}, world())).toMatchObject({ kind: 'refused' });
  });

  it('skips rules on domains the organization has not verified, even when they would cover', () => {
    const input = world();
    input.organizations[0]!.verifiedDomains = ['*.uw.example'];
    input.organizations[0]!.rules = [
      { domain: 'other.example', connection: 'azure', priority: 1 },
      { domain: 'eu.uw.example', connection: 'azure', priority: 1 },
    ];
    const decision = routeLogin('x@eu.uw.example', {}, input);
    // eu.uw.example is verified more specifically by the (suspended) frozen organization.
    expect(decision).toMatchObject({ kind: 'refused', reason: 'organization frozen is suspended' });
    const routed = routeLogin('x@us.uw.example', {}, input);
    expect(whyOf(routed, 1)).toBe('rule skipped: other.example is not a verified domain of maritime');
    // A rule on an exact name under a verified wildcard is allowed (it just does not cover us.uw.example).
    expect(whyOf(routed, 2)).toBe('domain eu.uw.example does not cover us.uw.example');
    // A rule on an unverified domain that would cover the email is still skipped (fallback applies).
    input.organizations[0]!.rules.push({ domain: 'gmail.example', connection: 'legacy-okta', priority: 0 });
    const unverified = routeLogin('x@gmail.example', { organization: 'maritime' }, input);
    expect(unverified).toMatchObject({ connectionId: 'azure', reason: expect.stringContaining('fallback') });
    expect(whyOf(unverified, 3)).toBe('rule skipped: gmail.example is not a verified domain of maritime');
    expect(routed).toMatchObject({
      kind: 'connection',
      connectionId: 'azure',
      reason: expect.stringContaining('fallback'),
    });
  });
});

describe('routeLogin: overlapping rules and ties', () => {
  function overlapping(rules: RoutingOrganization['rules']): RoutingInput {
    const input = world();
    input.organizations[0]!.verifiedDomains = ['*.uw.example'];
    input.organizations[0]!.rules = rules;
    return input;
  }

  it('priority decides first, even over a more specific rule', () => {
    const decision = routeLogin(
      'x@a.b.uw.example',
      {},
      overlapping([
        { domain: '*.b.uw.example', connection: 'azure', priority: 5 },
        { domain: '*.uw.example', connection: 'legacy-okta', priority: 1 },
      ]),
    );
    expect(decision).toMatchObject({ connectionId: 'legacy-okta' });
    expect(whyOf(decision, 1)).toBe(
      'domain *.b.uw.example covers a.b.uw.example; lower priority than rule #2',
    );
    expect(whyOf(decision, 2)).toBe('domain *.uw.example covers a.b.uw.example; selected');
  });

  it('on a priority tie, exact beats a longer wildcard, which beats a shorter one', () => {
    const decision = routeLogin(
      'x@a.b.uw.example',
      {},
      overlapping([
        { domain: '*.uw.example', connection: 'legacy-okta', priority: 1 },
        { domain: '*.b.uw.example', connection: 'azure', priority: 1 },
        { domain: 'a.b.uw.example', connection: 'legacy-okta', priority: 1 },
      ]),
    );
    expect(decision.kind === 'connection' && decision.reason).toMatch(/^rule #3 /);
    expect(whyOf(decision, 3)).toBe(
      'domain a.b.uw.example covers a.b.uw.example; selected: tie on priority 1 broken by specificity',
    );
    expect(whyOf(decision, 2)).toMatch(/tie on priority 1 with rule #3, which is more specific$/);
    expect(whyOf(decision, 1)).toMatch(/tie on priority 1 with rule #3, which is more specific$/);
  });

  it('on a full tie, the rule declared first wins', () => {
    const decision = routeLogin(
      'x@z.uw.example',
      {},
      overlapping([
        { domain: '*.uw.example', connection: 'legacy-okta', priority: 2 },
        { domain: '*.uw.example', connection: 'azure', priority: 2 },
      ]),
    );
    expect(decision).toMatchObject({ connectionId: 'legacy-okta' });
    expect(whyOf(decision, 1)).toBe(
      'domain *.uw.example covers z.uw.example; selected: tie on priority 2 broken by rule order',
    );
    expect(whyOf(decision, 2)).toBe(
      'domain *.uw.example covers z.uw.example; tie on priority 2 with rule #1, broken by rule order',
    );
  });

  it('a disabled connection never routes; the next rule does', () => {
    const input = overlapping([
      { domain: '*.uw.example', connection: 'legacy-okta', priority: 1 },
      { domain: '*.uw.example', connection: 'azure', priority: 2 },
    ]);
    input.connections[1]!.enabled = false;
    const decision = routeLogin('x@z.uw.example', {}, input);
    expect(decision).toMatchObject({ connectionId: 'azure' });
    expect(ruleLines(decision)[0]).toMatchObject({
      matched: false,
      why: 'domain *.uw.example covers z.uw.example, but connection legacy-okta is disabled',
    });
  });
});

describe('routeLogin: fallback, local and refused', () => {
  it('uses the fallback when no rule matches, and refuses when SSO is required and nothing is usable', () => {
    const input = world();
    input.organizations[0]!.verifiedDomains.push('claims.example');
    expect(routeLogin('x@claims.example', {}, input)).toMatchObject({
      kind: 'connection',
      connectionId: 'azure',
    });
    input.connections[0]!.enabled = false;
    const decision = routeLogin('x@claims.example', {}, input);
    expect(decision).toMatchObject({
      kind: 'refused',
      reason: 'maritime requires SSO but has no usable connection',
    });
    expect(decision.explain).toContainEqual(
      expect.objectContaining({ step: 'fallback', why: 'fallback unusable: connection azure is disabled' }),
    );
  });

  it('goes local when nobody claims the domain or the organization allows local passwords', () => {
    expect(routeLogin('x@gmail.example', {}, world())).toMatchObject({ kind: 'local' });
    expect(routeLogin('x@friendly.example', {}, world())).toMatchObject({
      kind: 'local',
      reason: 'no usable connection; friendly allows local passwords',
    });
    expect(routeLogin(undefined, {}, world())).toMatchObject({ kind: 'local' });
  });

  it('refuses when local passwords are off, and for suspended organizations', () => {
    expect(routeLogin('x@acme.example', {}, world())).toMatchObject({ kind: 'refused' });
    const input = world();
    input.organizations[2]!.ssoRequired = true;
    expect(routeLogin('x@friendly.example', {}, input)).toMatchObject({
      kind: 'refused',
      reason: 'friendly requires SSO but has no usable connection',
    });
    expect(routeLogin('x@frozen.example', {}, world())).toMatchObject({
      kind: 'refused',
      reason: 'organization frozen is suspended',
    });
  });
});

describe('routeLogin: hints', () => {
  it('login_hint stands in for the email and domain_hint for the domain', () => {
    expect(routeLogin(undefined, { loginHint: 'Jane@Underwriters.example' }, world())).toMatchObject({
      connectionId: 'azure',
    });
    expect(routeLogin('', { domainHint: 'team.uw.example' }, world())).toMatchObject({
      connectionId: 'legacy-okta',
    });
    const typed = routeLogin(
      'x@acme.example',
      { loginHint: 'y@underwriters.example', domainHint: 'uw.example' },
      world(),
    );
    expect(typed).toMatchObject({ kind: 'refused' });
    expect(typed.explain).toContainEqual(
      expect.objectContaining({ why: 'domain_hint ignored: an email is known' }),
    );
  });

  it('organization hint restricts routing to that organization and applies its fallback', () => {
    expect(routeLogin(undefined, { organization: 'maritime' }, world())).toMatchObject({
      kind: 'connection',
      connectionId: 'azure',
      reason: 'no rule matched; fallback connection azure of maritime',
    });
    expect(routeLogin('x@gmail.example', { organization: 'org-maritime' }, world())).toMatchObject({
      connectionId: 'azure',
    });
    expect(routeLogin('x@acme.example', { organization: 'maritime' }, world())).toMatchObject({
      kind: 'refused',
      reason: 'acme.example is verified by acme, not by the hinted organization maritime',
    });
    expect(routeLogin(undefined, { organization: 'nobody' }, world())).toMatchObject({ kind: 'refused' });
    expect(routeLogin(undefined, { organization: 'frozen' }, world())).toMatchObject({ kind: 'refused' });
  });

  it('sends a partner to their own IdP when the hinted organization admits their organization', () => {
    const partners = { ...world(), partnerSources: ['org-maritime'] };
    const decision = routeLogin('x@underwriters.example', { organization: 'acme' }, partners);
    expect(decision).toMatchObject({
      kind: 'connection',
      connectionId: 'azure',
      organizationId: 'org-maritime',
    });
    expect(decision.explain).toContainEqual(
      expect.objectContaining({ step: 'hint', why: 'acme admits members of maritime through a federation' }),
    );
    // Only the organizations named as partners: acme's users are still refused for maritime.
    const refused = routeLogin('x@acme.example', { organization: 'maritime' }, partners);
    expect(refused).toMatchObject({ kind: 'refused' });
  });

  it('connection hint is used only for its own organization’s verified domains', () => {
    expect(routeLogin(undefined, { connection: 'legacy-okta' }, world())).toMatchObject({
      kind: 'connection',
      connectionId: 'legacy-okta',
      organizationId: 'org-maritime',
    });
    expect(routeLogin('x@underwriters.example', { connection: 'legacy-okta' }, world())).toMatchObject({
      connectionId: 'legacy-okta',
    });
    // An IdP of maritime may not sign in acme's users, nor users of a domain nobody verified.
    expect(routeLogin('x@acme.example', { connection: 'azure' }, world())).toMatchObject({
      kind: 'refused',
      reason: 'connection azure of maritime cannot sign in users of acme.example: not its verified domain',
    });
    expect(routeLogin('x@gmail.example', { connection: 'azure' }, world())).toMatchObject({
      kind: 'refused',
    });
    expect(routeLogin(undefined, { connection: 'azure', organization: 'acme' }, world())).toMatchObject({
      kind: 'refused',
    });
    expect(routeLogin(undefined, { connection: 'missing' }, world())).toMatchObject({ kind: 'refused' });
    expect(routeLogin(undefined, { connection: 'frozen-idp' }, world())).toMatchObject({
      kind: 'refused',
      reason: 'connection frozen-idp belongs to no active organization',
    });
    const input = world();
    input.connections[0]!.enabled = false;
    expect(routeLogin(undefined, { connection: 'azure' }, input)).toMatchObject({
      kind: 'refused',
      reason: 'connection azure is disabled',
    });
  });
});
