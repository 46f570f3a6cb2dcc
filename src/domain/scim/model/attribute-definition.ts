/**
 * RFC 7643 §7: the characteristics every attribute of a schema carries. The same records are
 * served at `/Schemas` and drive input normalisation and output projection, so what a client
 * reads about an attribute is what the server does with it.
 */
export type AttributeType =
  'string' | 'boolean' | 'decimal' | 'integer' | 'dateTime' | 'binary' | 'reference' | 'complex';
export type Mutability = 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
export type Returned = 'always' | 'never' | 'default' | 'request';
export type Uniqueness = 'none' | 'server' | 'global';

export interface AttributeDefinition {
  readonly name: string;
  readonly type: AttributeType;
  readonly multiValued: boolean;
  readonly description: string;
  readonly required: boolean;
  readonly caseExact: boolean;
  readonly mutability: Mutability;
  readonly returned: Returned;
  readonly uniqueness: Uniqueness;
  readonly canonicalValues?: readonly string[];
  readonly referenceTypes?: readonly string[];
  readonly subAttributes?: readonly AttributeDefinition[];
}

export interface SchemaDefinition {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly attributes: readonly AttributeDefinition[];
}

type Characteristics = Partial<Omit<AttributeDefinition, 'name' | 'description' | 'type'>>;

/**
 * RFC 7643 §2.2 defaults: not required, case-insensitive, read-write, returned by default,
 * not unique, single-valued. Each definition states only where it differs, as §8.7.1 reads.
 */
export function attribute(
  name: string,
  type: AttributeType,
  description: string,
  characteristics: Characteristics = {},
): AttributeDefinition {
  return {
    name,
    type,
    multiValued: false,
    description,
    required: false,
    caseExact: false,
    mutability: 'readWrite',
    returned: 'default',
    uniqueness: 'none',
    ...characteristics,
  };
}

export function complex(
  name: string,
  description: string,
  subAttributes: readonly AttributeDefinition[],
  characteristics: Characteristics = {},
): AttributeDefinition {
  return attribute(name, 'complex', description, { ...characteristics, subAttributes });
}

/**
 * RFC 7643 §2.4: the sub-attributes a multi-valued attribute conventionally carries; `type` keeps
 * its canonical values, `primary` marks at most one value as the preferred one.
 */
export function multiValuedComplex(
  name: string,
  description: string,
  subAttributes: readonly AttributeDefinition[],
  characteristics: Characteristics = {},
): AttributeDefinition {
  return complex(name, description, subAttributes, { ...characteristics, multiValued: true });
}

/** RFC 7643 §2.1: attribute names compare case-insensitively. */
export function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

export function findAttribute(
  attributes: readonly AttributeDefinition[] | undefined,
  name: string,
): AttributeDefinition | undefined {
  return attributes?.find((candidate) => sameName(candidate.name, name));
}
