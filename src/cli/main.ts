#!/usr/bin/env node
import { CommanderError } from 'commander';
import { processIo } from './context.js';
import { describeError, EXIT_INVALID_INPUT, exitCodeFor } from './errors.js';
import { buildProgram } from './program.js';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin)
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}

/** The `gatehouse` bin: 0 on success, otherwise an exit code of errors.ts (2 invalid input, 3 not found, ...). */
async function run(argv: string[]): Promise<number> {
  try {
    await buildProgram(processIo, readStdin).parseAsync(argv);
    return 0;
  } catch (error) {
    // Commander has already printed its own usage message (or the help that was asked for).
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : EXIT_INVALID_INPUT;
    const debug = process.env.LOG_LEVEL === 'debug' || process.env.LOG_LEVEL === 'trace';
    processIo.err(`${describeError(error, debug)}\n`);
    return exitCodeFor(error);
  }
}

// exitCode rather than exit(): pending writes to stdout and stderr are flushed before Node ends.
process.exitCode = await run(process.argv);
