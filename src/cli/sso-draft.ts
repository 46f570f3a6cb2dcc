import { readFile } from 'node:fs/promises';
import {
  CONNECTION_PRESETS,
  connectionCreateSchema,
  connectionKeySchema,
} from '../domain/organizations/connection-input.js';
import { normalizeDomainPattern } from '../domain/organizations/domain-names.js';
import { slugSchema } from '../domain/organizations/organization-input.js';
import { parseOptions } from './admin-principal.js';
import { CliError, EXIT_INVALID_INPUT } from './errors.js';
import {
  PROVIDER_PRESETS,
  protocolsOf,
  type Protocol,
  type ProviderName,
  type ProviderPreset,
} from './provider-presets.js';

/** The flags of `gatehouse config add-sso`, as commander hands them over. */
export interface AddSsoFlags {
  organization: string;
  provider: string;
  domain: string;
  id?: string;
  priority?: string;
  issuer?: string;
  clientId?: string;
  clientSecret?: string;
  samlMetadataUrl?: string;
  samlMetadataFile?: string;
  samlEndpoint?: string;
  certificatePath?: string;
  samlEntityId?: string;
}

/** A validated connection to add, in the shape the admin API takes (the file names `key` `id`). */
export interface SsoDraft {
  organization: string;
  provider: ProviderName;
  protocol: Protocol;
  key: string;
  /** Normalized: lower-case ASCII, `*.` for a wildcard. */
  domain: string;
  priority: number | undefined;
  /** Every member but the client secret, in the order the file shows them. */
  connection: Record<string, unknown>;
  clientSecret: string | undefined;
  /** SAML: the NameID format to pick at the IdP. */
  nameIdFormat: string | undefined;
}

const OIDC_FLAGS = { issuer: '--issuer', clientId: '--client-id', clientSecret: '--client-secret' } as const;
const SAML_FLAGS = {
  samlMetadataUrl: '--saml-metadata-url',
  samlMetadataFile: '--saml-metadata-file',
  samlEndpoint: '--saml-endpoint',
  certificatePath: '--certificate-path',
  samlEntityId: '--saml-entity-id',
} as const;

/** Schema field -> the flag that sets it, so a refused value names what to retype. */
const FIELD_FLAGS: Readonly<Record<string, string>> = {
  key: '--id',
  preset: '--provider',
  issuer: '--issuer',
  client_id: '--client-id',
  client_secret: '--client-secret',
  idp_metadata_url: '--saml-metadata-url',
  idp_metadata_xml: '--saml-metadata-file',
  idp_sso_url: '--saml-endpoint',
  idp_certificates: '--certificate-path',
  idp_entity_id: '--saml-entity-id',
};

const invalid = (message: string) => new CliError(message, EXIT_INVALID_INPUT);
const given = <K extends string>(flags: AddSsoFlags, names: Record<K, string>) =>
  (Object.keys(names) as K[]).filter((name) => flags[name as keyof AddSsoFlags] !== undefined);

function providerOf(name: string): ProviderName {
  if ((CONNECTION_PRESETS as readonly string[]).includes(name)) return name as ProviderName;
  throw invalid(`--provider: ${name} is not one of ${CONNECTION_PRESETS.join(', ')}`);
}

function usage(provider: ProviderName, preset: ProviderPreset): string {
  const ways = [
    preset.oidc && `--issuer ${preset.oidc.issuerExample} --client-id <client id> --client-secret <secret>`,
    preset.saml && `--saml-metadata-url ${preset.saml.metadataUrlExample}`,
    preset.saml && '--saml-metadata-file <metadata.xml>',
    preset.saml && '--saml-endpoint <SSO URL> --saml-entity-id <IdP entity ID> --certificate-path <cert.pem>',
  ].filter(Boolean);
  return `--provider ${provider} needs one of:\n  ${ways.join('\n  ')}`;
}

/** OIDC or SAML, from the flags given and what the product offers. */
function protocolOf(flags: AddSsoFlags, provider: ProviderName, preset: ProviderPreset): Protocol {
  const oidc = given(flags, OIDC_FLAGS);
  const saml = given(flags, SAML_FLAGS);
  if (oidc.length > 0 && saml.length > 0) {
    throw invalid(
      `${OIDC_FLAGS[oidc[0]!]} is an OIDC flag and ${SAML_FLAGS[saml[0]!]} a SAML one: a connection speaks one protocol`,
    );
  }
  const wanted: Protocol | undefined = oidc.length > 0 ? 'oidc' : saml.length > 0 ? 'saml' : undefined;
  const offered = protocolsOf(preset);
  if (wanted === undefined) throw invalid(usage(provider, preset));
  if (!offered.includes(wanted)) {
    throw invalid(
      `${preset.label} connects over ${offered.join(' or ').toUpperCase()} only. ${usage(provider, preset)}`,
    );
  }
  return wanted;
}

function oidcMembers(flags: AddSsoFlags, provider: ProviderName, preset: ProviderPreset) {
  const defaults = preset.oidc!;
  const missing = [flags.issuer ? '' : '--issuer', flags.clientId ? '' : '--client-id'].filter(Boolean);
  if (missing.length > 0) {
    throw invalid(
      `--provider ${provider} over OIDC needs ${missing.join(' and ')} ` +
        `(e.g. --issuer ${defaults.issuerExample} --client-id <the client id of the app registered there>)`,
    );
  }
  return { issuer: flags.issuer, client_id: flags.clientId, scopes: defaults.scopes };
}

async function readInput(path: string, flag: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw invalid(`${flag}: cannot read ${path} (${reason})`);
  }
}

/** Each PEM block of a file (an IdP may publish two certificates while it rolls its key over). */
function certificatesIn(text: string): string[] {
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g);
  return blocks ?? [text.trim()];
}

/** The flags that describe an IdP without metadata: all three are needed together. */
const MANUAL_SAML = ['samlEndpoint', 'samlEntityId', 'certificatePath'] as const;

async function samlSource(flags: AddSsoFlags): Promise<Record<string, unknown>> {
  const manual = MANUAL_SAML.filter((name) => flags[name] !== undefined);
  const sources = [flags.samlMetadataUrl, flags.samlMetadataFile, manual.length > 0 ? manual : undefined];
  if (sources.filter((source) => source !== undefined).length > 1) {
    throw invalid(
      'give one IdP source: --saml-metadata-url, --saml-metadata-file, or --saml-endpoint with --saml-entity-id and --certificate-path',
    );
  }
  if (flags.samlMetadataUrl) return { idp_metadata_url: flags.samlMetadataUrl };
  if (flags.samlMetadataFile) {
    const xml = await readInput(flags.samlMetadataFile, '--saml-metadata-file');
    if (!/<(\w+:)?EntityDescriptor[\s>]/.test(xml)) {
      throw invalid(`--saml-metadata-file: ${flags.samlMetadataFile} holds no SAML EntityDescriptor`);
    }
    return { idp_metadata_xml: xml.trim() };
  }
  const missing = MANUAL_SAML.filter((name) => flags[name] === undefined).map((name) => SAML_FLAGS[name]);
  if (missing.length > 0) {
    // SAML Profiles §4.1.4.2: without metadata nothing else names the Issuer responses must carry.
    throw invalid(`--saml-endpoint needs ${missing.join(' and ')} too (or give the IdP's metadata instead)`);
  }
  const pem = await readInput(flags.certificatePath!, '--certificate-path');
  return {
    idp_sso_url: flags.samlEndpoint,
    idp_entity_id: flags.samlEntityId,
    idp_certificates: certificatesIn(pem),
  };
}

function priorityOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const priority = Number(value);
  if (!Number.isInteger(priority) || priority < 0 || priority > 1_000_000) {
    throw invalid('--priority: a whole number from 0 to 1000000 (lower wins)');
  }
  return priority;
}

/**
 * Reads and checks every add-sso flag before anything is touched: the provider, the flags its
 * protocol needs, the domain, and the connection itself against the admin API's own schema.
 */
export async function ssoDraft(flags: AddSsoFlags): Promise<SsoDraft> {
  const provider = providerOf(flags.provider);
  const preset = PROVIDER_PRESETS[provider];
  const protocol = protocolOf(flags, provider, preset);
  const organization = parseOptions(slugSchema, flags.organization, { '': '--organization' });
  const domain = normalizeDomainPattern(flags.domain);
  if (!domain) {
    throw invalid(
      `--domain: ${flags.domain} is not a domain an organization can claim (acme.com or *.acme.com)`,
    );
  }
  const key = parseOptions(connectionKeySchema, flags.id ?? provider, { '': '--id' });
  const settings =
    protocol === 'oidc'
      ? oidcMembers(flags, provider, preset)
      : { ...(await samlSource(flags)), email_attribute: preset.saml!.emailAttribute };
  const attributeMap = (protocol === 'oidc' ? preset.oidc : preset.saml)!.attributeMap;
  const connection = dropUndefined({
    key,
    type: protocol,
    preset: provider,
    ...settings,
    ...(Object.keys(attributeMap).length > 0 ? { attribute_map: attributeMap } : {}),
  });
  // A stand-in for an absent secret: the file then names a variable the operator fills later.
  const secret = protocol === 'oidc' ? { client_secret: flags.clientSecret ?? 'x'.repeat(32) } : {};
  parseOptions(connectionCreateSchema, { ...connection, ...secret }, FIELD_FLAGS);
  return {
    organization,
    provider,
    protocol,
    key,
    domain,
    priority: priorityOf(flags.priority),
    connection,
    clientSecret: protocol === 'oidc' ? flags.clientSecret : undefined,
    nameIdFormat: protocol === 'saml' ? preset.saml!.nameIdFormat : undefined,
  };
}

function dropUndefined(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}
