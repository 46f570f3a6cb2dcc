import { describe, expect, it } from '@jest/globals';
import type { Command } from 'commander';
import { buildProgram } from '../../src/cli/program.js';
import { testDatabaseUrl } from '../support/services.js';
import { gatehouseInProcess } from './config-in-process.js';

/** Commands whose output is a machine format already: JSON lines, and MCP's JSON-RPC on stdio. */
const MACHINE_FORMAT = new Set(['audit export', 'mcp']);

function leaves(command: Command, path: string[] = []): { path: string; command: Command }[] {
  if (command.commands.length === 0) return [{ path: path.join(' '), command }];
  return command.commands.flatMap((sub) => leaves(sub, [...path, sub.name()]));
}

describe('every gatehouse command', () => {
  const all = leaves(buildProgram({ out: () => {}, err: () => {} }, async () => ''));

  it('has a description for --help and a --json option', () => {
    expect(all.length).toBeGreaterThan(40);
    const withoutJson = all
      .filter(({ path }) => !MACHINE_FORMAT.has(path))
      .filter(({ command }) => !command.options.some((option) => option.long === '--json'))
      .map(({ path }) => path);
    expect(withoutJson).toEqual([]);
    expect(all.filter(({ command }) => command.description() === '').map(({ path }) => path)).toEqual([]);
  });

  it('prints JSON with --json, here for migrate on an up-to-date database', async () => {
    process.env.DATABASE_URL = testDatabaseUrl();
    const run = await gatehouseInProcess(['migrate', '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ applied: [] });
  });
});
