import { ConfigFileError, parseConfigText } from '../../src/config/declarative/load.js';

/** The problems of a file that must be refused, each as `<line>: <message>`. */
export function problemsOf(text: string, env: Record<string, string> = {}): string[] {
  try {
    parseConfigText(text, 'gatehouse.yaml', env);
  } catch (error) {
    if (error instanceof ConfigFileError)
      return error.problems.map((problem) => `${problem.line}: ${problem.message}`);
    throw error;
  }
  throw new Error('expected the file to be rejected');
}
