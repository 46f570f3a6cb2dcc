/**
 * The organizations example of the Organizations issue, which must apply as-is. The defaults give
 * it verbatim; suites sharing one database pass their own names so their rows do not collide.
 */
export function organizationsExample(
  names: { root?: string; sub?: string; domains?: [string, string] } = {},
): string {
  const { root = 'maritime_underwriters', sub = 'marine_cargo' } = names;
  const [first, second] = names.domains ?? ['underwriters.example', 'uw.example'];
  return `version: 1
organizations:
  ${root}:
    domains: ["${first}", "${second}"]
    roles:
      - name: senior_underwriter
        permissions: ["*", "manage_users", "access_reports"]
      - name: claims_adjuster
        permissions: ["view_claims", "update_claims"]
    security_policies: { mfa: required_for_admins, session_timeout: 8h, concurrent_sessions: 3 }
    sub_organizations:
      ${sub}: { roles: [{ name: cargo_specialist, permissions: ["cargo_underwriting"] }] }
`;
}
