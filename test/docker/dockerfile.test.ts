import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { Copy, DockerfileParser, ModifiableInstruction, type Instruction } from 'dockerfile-ast';
import { validate, ValidationSeverity } from 'dockerfile-utils';
import { parse } from 'yaml';
import { PROJECT_ROOT } from '../support/paths.js';

/**
 * No Docker engine (and no hadolint) runs here, so the Dockerfile is linted statically: the
 * Dockerfile language server's validator for syntax and instruction semantics, then the
 * hadolint rules that matter for this image (their DL numbers cited), and the image's contract
 * with the Helm chart.
 */
const text = readFileSync(join(PROJECT_ROOT, 'Dockerfile'), 'utf8');
const instructions = DockerfileParser.parse(text).getInstructions();
const args = (instruction: Instruction) => instruction.getArguments().map((argument) => argument.getValue());
/** `--name=value` flags (COPY --from, HEALTHCHECK --interval...), which getArguments leaves out. */
const flags = (instruction: Instruction) =>
  instruction instanceof ModifiableInstruction ? instruction.getFlags().map((flag) => flag.toString()) : [];
const copiedFrom = (instruction: Instruction) =>
  instruction instanceof Copy ? instruction.getFromFlag()?.getValue() : undefined;

/** Instructions grouped by build stage, each stage starting at its FROM. */
const stages: Instruction[][] = [];
for (const instruction of instructions) {
  if (instruction.getKeyword() === 'FROM') stages.push([]);
  stages.at(-1)?.push(instruction);
}
const runtime = stages.at(-1) ?? [];
const runtimeOf = (keyword: string) => runtime.filter((instruction) => instruction.getKeyword() === keyword);
const stageNames = stages.map((stage) => args(stage[0] as Instruction).at(-1));

/** The JSON (exec) form of CMD, ENTRYPOINT or HEALTHCHECK CMD, as the argv it runs. */
function execForm(instruction: Instruction | undefined): string[] {
  const content = instruction?.getArgumentsContent() ?? '';
  const json = content.slice(content.indexOf('['));
  return JSON.parse(json) as string[];
}

const dockerignore = readFileSync(join(PROJECT_ROOT, '.dockerignore'), 'utf8')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line && !line.startsWith('#'));

describe('the Dockerfile', () => {
  it('passes the Dockerfile validator with every rule raised to an error', () => {
    const strict = ValidationSeverity.ERROR;
    const problems = validate(text, {
      deprecatedMaintainer: strict,
      directiveCasing: strict,
      emptyContinuationLine: strict,
      instructionCasing: strict,
      instructionCmdMultiple: strict,
      instructionEntrypointMultiple: strict,
      instructionHealthcheckMultiple: strict,
      instructionJSONInSingleQuotes: strict,
      instructionWorkdirRelative: strict,
    });
    expect(problems.map(({ range, message }) => `line ${range.start.line + 1}: ${message}`)).toEqual([]);
  });

  it('builds in one stage and runs from another, each base image pinned by version (DL3006, DL3007)', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) {
      const image = args(stage[0] as Instruction)[0] ?? '';
      if (stageNames.includes(image)) continue;
      expect(image).toMatch(/^node:\d+\.\d+\.\d+-[a-z]+(-slim)?(@sha256:[0-9a-f]{64})?$/);
    }
    // The runtime stage takes compiled code from the build stage; it neither compiles nor installs.
    const fromBuild = runtimeOf('COPY').filter((copy) => copiedFrom(copy) !== undefined);
    expect(fromBuild.map((copy) => `${copiedFrom(copy)}:${args(copy)[0]}`)).toEqual([
      `${stageNames[0]}:/app/node_modules`,
      `${stageNames[0]}:/app/dist`,
    ]);
    const runs = runtimeOf('RUN').map((run) => run.getArgumentsContent() ?? '');
    expect(runs.join('\n')).not.toMatch(/npm (ci|install)|tsc|COPY src/);
  });

  it('runs as a numeric non-root user, the one the chart declares (DL3002)', () => {
    const user = runtimeOf('USER').at(-1);
    const [uid, gid] = (args(user as Instruction)[0] ?? '').split(':');
    expect(Number(uid)).toBeGreaterThanOrEqual(1000);
    const values = parse(readFileSync(join(PROJECT_ROOT, 'helm/gatehouse/values.yaml'), 'utf8')) as {
      podSecurityContext: { runAsUser: number; runAsGroup: number };
    };
    expect([Number(uid), Number(gid)]).toEqual([
      values.podSecurityContext.runAsUser,
      values.podSecurityContext.runAsGroup,
    ]);
  });

  it('copies only files of the build context, never with ADD or from a URL (DL3020)', () => {
    expect(instructions.filter((instruction) => instruction.getKeyword() === 'ADD')).toEqual([]);
    const copies = instructions.filter(
      (instruction) => instruction.getKeyword() === 'COPY' && copiedFrom(instruction) === undefined,
    );
    expect(copies.length).toBeGreaterThan(0);
    for (const copy of copies) {
      for (const source of args(copy).slice(0, -1)) {
        expect(source).not.toMatch(/:\/\//);
        expect(existsSync(join(PROJECT_ROOT, source))).toBe(true);
        expect(dockerignore).not.toContain(source.replace(/\/$/, ''));
      }
    }
  });

  it('keeps local secrets, data and dependencies out of the build context', () => {
    expect(dockerignore).toEqual(
      expect.arrayContaining(['.git', 'node_modules', 'dist', 'data', 'keys', '.env', 'src/data/generated']),
    );
  });

  it('installs OS packages pinned, without recommends, and leaves no apt lists (DL3008, DL3015, DL3009)', () => {
    const installs = instructions
      .filter((instruction) => instruction.getKeyword() === 'RUN')
      .map((run) => run.getArgumentsContent() ?? '')
      .filter((command) => command.includes('apt-get install'));
    expect(installs.length).toBeGreaterThan(0);
    for (const command of installs) {
      expect(command).toContain('--no-install-recommends');
      expect(command).toContain('rm -rf /var/lib/apt/lists/*');
      const packages = command.split('apt-get install')[1]?.split('&&')[0]?.trim().split(/\s+/) ?? [];
      for (const name of packages.filter((word) => !word.startsWith('-') && word !== '\\')) {
        expect(name).toMatch(/^[a-z0-9.+-]+=\S+$/);
      }
    }
  });

  it('starts the server in exec form under tini, in production mode, with a /healthz health check', () => {
    expect(execForm(runtimeOf('ENTRYPOINT')[0])).toEqual(['/usr/bin/tini', '--']);
    expect(execForm(runtimeOf('CMD')[0])).toEqual(['node', 'dist/main.js']);
    expect(
      runtimeOf('ENV')
        .map((env) => env.getArgumentsContent())
        .join(' '),
    ).toMatch(/NODE_ENV=production/);
    const healthcheck = runtimeOf('HEALTHCHECK')[0];
    expect(flags(healthcheck as Instruction)).toContainEqual(expect.stringMatching(/^--start-period=\d+s$/));
    expect(execForm(healthcheck).join(' ')).toContain('/healthz');
    // Migrations are a separate command (the chart's hook Job), never part of the server's start.
    expect(text).not.toMatch(/^(CMD|ENTRYPOINT).*migrate/m);
    const bin = (
      JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> }
    ).bin;
    expect(bin.gatehouse).toBe('dist/cli/main.js');
  });
});
