import { isMap, isScalar, isSeq, visit, type Document, type Node, type YAMLMap, type YAMLSeq } from 'yaml';

/**
 * Edits of a declarative file through yaml's Document API: comments, key order and the operator's
 * formatting of everything untouched survive, which rewriting the file from its data would lose.
 */

export interface OrganizationNode {
  slug: string;
  /** Where it sits: `organizations.acme` or `organizations.acme.sub_organizations.cargo`. */
  path: string;
  node: YAMLMap;
}

/** Every organization of the file, sub-organizations included, parents first. */
export function organizationsIn(doc: Document): OrganizationNode[] {
  const found: OrganizationNode[] = [];
  const walk = (map: unknown, path: string) => {
    if (!isMap(map)) return;
    for (const pair of map.items) {
      if (!isScalar(pair.key) || !isMap(pair.value)) continue;
      const slug = String(pair.key.value);
      found.push({ slug, path: `${path}.${slug}`, node: pair.value });
      walk(pair.value.get('sub_organizations', true), `${path}.${slug}.sub_organizations`);
    }
  };
  walk(isMap(doc.contents) ? doc.contents.get('organizations', true) : undefined, 'organizations');
  return found;
}

/** The plain values of a sequence under `key` (an absent or empty one has none). */
export function itemsOf(map: YAMLMap, key: string): unknown[] {
  const node = map.get(key, true);
  return isSeq(node) ? node.items.map((item) => (isScalar(item) || isMap(item) ? item.toJSON() : item)) : [];
}

/**
 * The sequence under `key` in block style, made when the key is absent or empty (`connections:`
 * or `connections: []`). A comment trailing an empty `[]` stays with the key. Inside a flow map
 * (`routing: { rules: [] }`) it stays in flow style, the only style allowed there.
 */
export function blockSequence(doc: Document, map: YAMLMap, key: string): YAMLSeq {
  let node = map.get(key, true) as Node | null | undefined;
  if (!isSeq(node)) {
    const comment = isScalar(node) ? node.comment : undefined;
    node = doc.createNode([]) as YAMLSeq;
    if (comment) node.comment = comment;
    map.set(key, node);
  }
  node.flow = Boolean(map.flow);
  return node;
}

/** The map under `key`, made when the key is absent or empty (`routing:`). */
export function mapIn(doc: Document, map: YAMLMap, key: string): YAMLMap {
  const node = map.get(key, true) as Node | null | undefined;
  if (isMap(node)) return node;
  const made = doc.createNode({}) as YAMLMap;
  map.set(key, made);
  return made;
}

/**
 * Appends a value. `flow` writes a short entry on one line (`{ domain: acme.com, verified: true }`),
 * as do lists of plain values (`scopes: [ openid, email ]`); multi-line strings (metadata,
 * certificates) become literal blocks, kept as written.
 */
export function appendItem(
  doc: Document,
  seq: YAMLSeq,
  value: unknown,
  options: { flow?: boolean; comment?: string } = {},
): void {
  const node = doc.createNode(value) as Node;
  if (options.flow && isMap(node)) node.flow = true;
  visit(node, {
    Seq(_key, list) {
      const short = (item: unknown) => isScalar(item) && !String(item.value).includes('\n');
      if (list.items.every(short)) list.flow = true;
    },
    Scalar(_key, scalar) {
      if (typeof scalar.value === 'string' && scalar.value.includes('\n')) scalar.type = 'BLOCK_LITERAL';
    },
  });
  if (options.comment) node.commentBefore = options.comment;
  seq.items.push(node);
}
