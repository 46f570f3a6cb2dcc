import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createMemoryEphemeralStore } from '../../../../src/data/memory/index.js';
import { samlSettingsSchema } from '../../../../src/domain/organizations/connection-input.js';
import type { EphemeralStore } from '../../../../src/domain/ports/ephemeral-store.js';
import {
  createSamlServiceProvider,
  type SamlConnection,
  type SamlServiceProvider,
} from '../../../../src/federation/saml/index.js';
import { PROJECT_ROOT } from '../../../support/paths.js';
import { defaultShape, type ResponseShape } from './response-builder.js';
import type { SigningKey } from './xml-signing.js';

export const ISSUER = 'https://gatehouse.example.test';
export const IDP_ENTITY_ID = 'https://idp.example.test/metadata';
export const IDP_SSO_URL = 'https://idp.example.test/sso';
export const CONNECTION_ID = 'con_saml_test';

export type FixtureKey = 'sp' | 'idp' | 'idp-next' | 'attacker';

/** A committed test key pair (test/fixtures/saml). */
export function fixtureKey(name: FixtureKey): SigningKey {
  const read = (extension: string) =>
    readFileSync(join(PROJECT_ROOT, 'test', 'fixtures', 'saml', `${name}.${extension}`), 'utf8');
  return { certificate: read('crt'), privateKey: read('key') };
}

/** A SAML connection to the test IdP, configured by hand (entity ID, SSO URL, certificate). */
export function samlConnection(
  settings: Record<string, unknown> = {},
  upstreamMetadata: Record<string, unknown> | null = null,
): SamlConnection {
  const sp = fixtureKey('sp');
  const manual = upstreamMetadata
    ? { idp_metadata_url: 'https://idp.example.test/metadata' }
    : {
        idp_entity_id: IDP_ENTITY_ID,
        idp_sso_url: IDP_SSO_URL,
        idp_certificates: [fixtureKey('idp').certificate],
      };
  return {
    id: CONNECTION_ID,
    organizationId: 'org_test',
    settings: samlSettingsSchema.parse({ ...manual, ...settings }),
    upstreamMetadata,
    spCertificate: sp.certificate,
    spPrivateKey: sp.privateKey,
    attributeMap: {},
  };
}

export interface TestSp {
  sp: SamlServiceProvider;
  store: EphemeralStore;
  /** Moves the SP's clock (and the store's) by `ms`. */
  advance(ms: number): void;
  now(): Date;
  shape(overrides?: Partial<ResponseShape>): ResponseShape;
}

/** A service provider on the in-process store, with a clock the test moves. */
export function testSp(options: { store?: EphemeralStore; clockSkewSeconds?: number } = {}): TestSp {
  let current = Date.now();
  const store = options.store ?? createMemoryEphemeralStore({ now: () => current });
  const sp = createSamlServiceProvider({
    issuer: ISSUER,
    store,
    now: () => new Date(current),
    ...(options.clockSkewSeconds === undefined ? {} : { clockSkewSeconds: options.clockSkewSeconds }),
  });
  return {
    sp,
    store,
    advance: (ms) => (current += ms),
    now: () => new Date(current),
    shape: (overrides = {}) => ({
      ...defaultShape({
        idpEntityId: IDP_ENTITY_ID,
        spEntityId: sp.spEntityId(CONNECTION_ID),
        acsUrl: sp.acsUrl(CONNECTION_ID),
      }),
      now: new Date(current),
      ...overrides,
    }),
  };
}
