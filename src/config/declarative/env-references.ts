import { visit, type Document, type LineCounter } from 'yaml';

export interface ExpansionProblem {
  line: number;
  column: number;
  message: string;
}

/** `${NAME}` is replaced by the variable; `$${` stays a literal `${` for values that need one. */
const REFERENCE = /\$(\$?)\{([^}]*)\}/g;
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Replaces `${ENV_VAR}` references in string values, in place. Secrets stay out of the file this
 * way; the problems name the variable and line but never a value, since values are often secrets.
 */
export function expandEnvReferences(
  doc: Document,
  lines: LineCounter,
  env: Readonly<Record<string, string | undefined>>,
): ExpansionProblem[] {
  const problems: ExpansionProblem[] = [];
  visit(doc, {
    Scalar(key, node) {
      // Keys are names chosen by the schema, never secrets: expanding them would only hide typos.
      if (key === 'key' || typeof node.value !== 'string' || !node.value.includes('${')) return;
      const at = lines.linePos(node.range?.[0] ?? 0);
      node.value = node.value.replace(REFERENCE, (whole, escaped: string, name: string) => {
        if (escaped) return whole.slice(1);
        if (!VARIABLE_NAME.test(name)) {
          problems.push({
            line: at.line,
            column: at.col,
            message: `"\${${name}}" is not a valid environment variable reference`,
          });
          return whole;
        }
        const value = env[name];
        if (value === undefined) {
          problems.push({
            line: at.line,
            column: at.col,
            message: `environment variable ${name} is not set`,
          });
          return whole;
        }
        return value;
      });
    },
  });
  return problems;
}
