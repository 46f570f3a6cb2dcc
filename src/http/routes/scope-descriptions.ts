/** Plain-language consent lines: people decide on what a scope lets the app do, not its name. */
const DESCRIPTIONS: Record<string, string> = {
  openid: 'Know who you are',
  email: 'See your email address',
  profile: 'See your name',
  offline_access: 'Stay signed in when you are away',
  organization: 'Know which organization you are signing in for',
  roles: 'See your roles and permissions in that organization',
};

export function describeScope(scope: string): string {
  return DESCRIPTIONS[scope] ?? `Use "${scope}"`;
}
