import { CommanderError } from 'commander';
import { describeError, EXIT_INVALID_INPUT, exitCodeFor } from '../../src/cli/errors.js';
import { buildProgram } from '../../src/cli/program.js';
import type { Run } from './run-gatehouse.js';

/**
 * The `gatehouse` command tree run inside the test process, with main.ts's exit-code rules: for
 * commands that only read and write files, where a child process per case would only add start-up
 * time. What needs the bin itself (a database, the server) is tested through run-gatehouse.ts.
 */
export async function gatehouseInProcess(args: string[]): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const io = { out: (text: string) => void (stdout += text), err: (text: string) => void (stderr += text) };
  try {
    await buildProgram(io, async () => '').parseAsync(['node', 'gatehouse', ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    if (error instanceof CommanderError) {
      return { code: error.exitCode === 0 ? 0 : EXIT_INVALID_INPUT, stdout, stderr };
    }
    return { code: exitCodeFor(error), stdout, stderr: `${stderr}${describeError(error, false)}\n` };
  }
}
