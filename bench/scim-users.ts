import { ENTERPRISE, USER_SCHEMA } from './scim-http.js';

/**
 * Users shaped like what Entra ID's provisioning service POSTs with its default attribute
 * mappings: userName from the UPN, externalId from mailNickname, the work email, name parts,
 * displayName, title, preferredLanguage, work address, work and mobile phone, and the enterprise
 * extension's department and employeeNumber. Deterministic per index, so any phase can name an
 * existing user without keeping the bodies.
 */
const GIVEN = ['Adele', 'Alex', 'Diego', 'Grady', 'Henrietta', 'Isaiah', 'Johanna', 'Lee', 'Megan', 'Nestor'];
const FAMILY = [
  'Vance',
  'Wilber',
  'Siciliani',
  'Archie',
  'Mueller',
  'Langer',
  'Lidell',
  'Gu',
  'Bowen',
  'Wilke',
];
const DEPARTMENTS = ['Engineering', 'Sales', 'Marketing', 'Finance', 'Legal', 'Operations', 'Support', 'HR'];
const TITLES = ['Engineer', 'Account Executive', 'Analyst', 'Manager', 'Counsel', 'Specialist'];
const CITIES = [
  { locality: 'Redmond', region: 'WA', postalCode: '98052' },
  { locality: 'Austin', region: 'TX', postalCode: '73301' },
  { locality: 'Boston', region: 'MA', postalCode: '02110' },
];

const pick = <T>(list: readonly T[], index: number): T => list[index % list.length]!;

export interface BenchUserKeys {
  userName: string;
  externalId: string;
}

/** The two lookup keys of user `index`: the UPN (lower case, as Entra sends it) and mailNickname. */
export function userKeys(index: number, domain: string): BenchUserKeys {
  const given = pick(GIVEN, index).toLowerCase();
  const family = pick(FAMILY, Math.floor(index / GIVEN.length)).toLowerCase();
  const nickname = `${given}.${family}.${index}`;
  return { userName: `${nickname}@${domain}`, externalId: nickname };
}

export function entraUser(index: number, domain: string): Record<string, unknown> {
  const { userName, externalId } = userKeys(index, domain);
  const givenName = pick(GIVEN, index);
  const familyName = pick(FAMILY, Math.floor(index / GIVEN.length));
  const city = pick(CITIES, index);
  const street = `${1 + (index % 9000)} Microsoft Way`;
  const digits = String(index).padStart(7, '0');
  return {
    schemas: [USER_SCHEMA, ENTERPRISE],
    externalId,
    userName,
    active: true,
    displayName: `${givenName} ${familyName}`,
    title: pick(TITLES, index),
    preferredLanguage: 'en-US',
    name: { formatted: `${givenName} ${familyName}`, familyName, givenName },
    emails: [{ primary: true, type: 'work', value: userName }],
    addresses: [
      {
        type: 'work',
        primary: true,
        streetAddress: street,
        ...city,
        country: 'US',
        formatted: `${street}, ${city.locality}, ${city.region} ${city.postalCode}`,
      },
    ],
    phoneNumbers: [
      { type: 'work', value: `+1 425 55${digits.slice(-5)}` },
      { type: 'mobile', value: `+1 206 55${digits.slice(-5)}` },
    ],
    [ENTERPRISE]: { employeeNumber: digits, department: pick(DEPARTMENTS, index) },
  };
}
