import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { Option, type Command } from 'commander';
import { parseConfigText } from '../../config/declarative/load.js';
import type { Io } from '../context.js';
import { readEnvFile } from '../env-file.js';
import { CliError, EXIT_CONFLICT, EXIT_INVALID_INPUT } from '../errors.js';
import { SECRET_FILE_MODE, writeFileAtomically } from '../file-writes.js';
import { json } from '../format.js';
import { renderEnvFile } from '../templates/env-template.js';
import { TEMPLATE_NAMES, TEMPLATES, type TemplateName } from '../templates/index.js';
import type { Template } from '../templates/template.js';

interface InitOptions {
  template: TemplateName;
  dir: string;
  issuer?: string;
  force?: boolean;
  json?: boolean;
}

const CONFIG_FILE_NAME = 'gatehouse.yaml';

function issuerOf(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const issuer = value.replace(/\/+$/, '');
  if (!URL.canParse(issuer) || !/^https?:$/.test(new URL(issuer).protocol)) {
    throw new CliError(`--issuer: ${value} is not an http(s) URL`, EXIT_INVALID_INPUT);
  }
  return issuer;
}

function refuseOverwrite(paths: readonly string[]): void {
  const existing = paths.filter((path) => existsSync(path));
  if (existing.length === 0) return;
  throw new CliError(
    `${existing.join(' and ')} already ${existing.length === 1 ? 'exists' : 'exist'}: ` +
      'pass --force to replace (keys already in .env are kept), or --dir to write elsewhere',
    EXIT_CONFLICT,
  );
}

function nextSteps(template: Template, dir: string): string[] {
  const below = relative(process.cwd(), dir);
  const into = below.startsWith('..') ? dir : below;
  return [
    ...(into === '' ? [] : [`cd ${into}`]),
    'set -a; . ./.env; set +a',
    `gatehouse config add-sso --organization ${template.organization} --provider <azure-ad|okta|...> --domain <email domain> ...`,
    `gatehouse plan -f ${CONFIG_FILE_NAME}`,
    `gatehouse apply -f ${CONFIG_FILE_NAME}`,
  ];
}

const TEMPLATE_HELP =
  '\nTemplates:\n' +
  TEMPLATE_NAMES.map((name) => `  ${name.padEnd(16)} ${TEMPLATES[name].summary}`).join('\n') +
  '\n\nExit codes: 0 written, 2 invalid option, 4 a file exists (use --force).\n';

export function registerInit(program: Command, io: Io): void {
  program
    .command('init')
    .description(`write a commented ${CONFIG_FILE_NAME} and a .env with generated keys, for a typical shape`)
    .addOption(
      new Option('--template <name>', 'the shape to start from')
        .choices(TEMPLATE_NAMES)
        .makeOptionMandatory(),
    )
    .option('--dir <path>', 'the folder to write into', '.')
    .option('--issuer <url>', 'the URL Gatehouse will be reached at (ISSUER in .env)')
    .option('--force', `replace an existing ${CONFIG_FILE_NAME} and .env (values already in .env are kept)`)
    .option('--json', 'print what was written as JSON')
    .addHelpText('after', TEMPLATE_HELP)
    .action(async (options: InitOptions) => {
      const template = TEMPLATES[options.template];
      const issuer = issuerOf(options.issuer);
      const dir = resolve(options.dir);
      const configPath = join(dir, CONFIG_FILE_NAME);
      const envPath = join(dir, '.env');
      if (!options.force) refuseOverwrite([configPath, envPath]);
      const env = renderEnvFile(template, issuer, (await readEnvFile(envPath)).values);
      // The template must be what `gatehouse plan -f` accepts with this .env loaded.
      parseConfigText(template.yaml, configPath, parseEnv(env.text));
      await mkdir(dir, { recursive: true });
      await writeFileAtomically(envPath, env.text, SECRET_FILE_MODE);
      await writeFileAtomically(configPath, template.yaml);
      const steps = nextSteps(template, dir);
      if (options.json) {
        io.out(
          json({
            template: template.name,
            files: { config: configPath, env: envPath },
            generated: env.generated,
            kept: env.kept,
            next_steps: steps,
          }),
        );
        return;
      }
      io.out(
        `Wrote the ${template.name} template:\n` +
          `  ${configPath}  declarative config, commented\n` +
          `  ${envPath}  GATEHOUSE_KEK, COOKIE_KEYS and the secrets the file references (owner-only)\n` +
          (env.kept.length > 0 ? `Kept from the existing .env: ${env.kept.join(', ')}\n` : '') +
          'Keep .env out of version control, and a copy of GATEHOUSE_KEK somewhere safe.\n' +
          `Next steps:\n${steps.map((step) => `  ${step}\n`).join('')}`,
      );
    });
}
