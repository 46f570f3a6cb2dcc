import { isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

export interface SourcePosition {
  line: number;
  column: number;
}

/**
 * Where the node at `path` starts. For a map entry the key's position is used, so an error on
 * a nested block (`organizations:`) points at its own line rather than the line below. A path
 * that does not exist (a missing required field) resolves to its nearest existing ancestor.
 */
export function positionOf(doc: Document, lines: LineCounter, path: readonly PropertyKey[]): SourcePosition {
  let node: unknown = doc.contents;
  let offset = rangeStart(node) ?? 0;
  for (const segment of path) {
    const step = child(node, segment);
    if (!step) break;
    node = step.node;
    offset = step.offset ?? offset;
  }
  const { line, col } = lines.linePos(offset);
  return { line, column: col };
}

function child(
  node: unknown,
  segment: PropertyKey,
): { node: unknown; offset: number | undefined } | undefined {
  if (isMap(node)) {
    const pair = node.items.find(
      (item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment),
    );
    if (!pair) return undefined;
    return { node: pair.value, offset: rangeStart(pair.key) ?? rangeStart(pair.value) };
  }
  if (isSeq(node) && typeof segment === 'number') {
    const item: unknown = node.items[segment];
    return item === undefined ? undefined : { node: item, offset: rangeStart(item) };
  }
  return undefined;
}

function rangeStart(node: unknown): number | undefined {
  return (node as Node | null | undefined)?.range?.[0];
}

/** Keys that read unambiguously after a dot; others (a group name with spaces) are quoted. */
const PLAIN_KEY = /^[A-Za-z0-9_-]+$/;

/** `organizations.acme.roles[0].name`, `group_role_map["Underwriting Leads"]`: how problems name a place in the file. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((segment, index) => {
      if (typeof segment === 'number') return `[${segment}]`;
      const key = String(segment);
      if (index > 0 && !PLAIN_KEY.test(key)) return `[${JSON.stringify(key)}]`;
      return `${index === 0 ? '' : '.'}${key}`;
    })
    .join('');
}
