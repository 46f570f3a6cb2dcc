import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import {
  ConfigFileError,
  loadConfigFile,
  parseConfigText,
  type ConfigProblem,
} from '../../../src/config/declarative/load.js';

const SECRET = 's3cret-value-that-must-never-be-printed-0123456789';

function problemsOf(text: string, env: Record<string, string> = {}): ConfigProblem[] {
  try {
    parseConfigText(text, 'gatehouse.yaml', env);
  } catch (error) {
    if (error instanceof ConfigFileError) return error.problems;
    throw error;
  }
  throw new Error('expected the file to be rejected');
}

const valid = `version: 1
clients:
  - client_id: demo-app
    name: Demo app
    client_secret: \${DEMO_APP_SECRET}
    redirect_uris: ["http://localhost:8080/callback"]
users:
  - email: Admin@Gatehouse.TEST
    password: \${ADMIN_PASSWORD}
    name: Local Admin
`;

describe('declarative config loading', () => {
  it('expands ${ENV_VAR} references and applies schema defaults', () => {
    const config = parseConfigText(valid, 'gatehouse.yaml', {
      DEMO_APP_SECRET: SECRET,
      ADMIN_PASSWORD: 'correct horse',
    });
    expect(config.clients[0]).toMatchObject({
      client_id: 'demo-app',
      client_secret: SECRET,
      grant_types: ['authorization_code', 'refresh_token'],
    });
    expect(config.users).toEqual([
      { email: 'admin@gatehouse.test', password: 'correct horse', name: 'Local Admin' },
    ]);
  });

  it('keeps $${...} as a literal and treats empty sections as empty lists', () => {
    const config = parseConfigText(
      'version: 1\nclients:\nusers:\n  - email: a@b.example\n    name: "$${NOT_EXPANDED}"\n',
      'f.yaml',
      {},
    );
    expect(config.clients).toEqual([]);
    expect(config.users[0]?.name).toBe('${NOT_EXPANDED}');
  });

  it('names the variable and line of a missing reference, and no values', () => {
    const problems = problemsOf(valid, { DEMO_APP_SECRET: SECRET });
    expect(problems).toEqual([
      {
        file: 'gatehouse.yaml',
        line: 9,
        column: 15,
        message: 'environment variable ADMIN_PASSWORD is not set',
      },
    ]);
  });

  it('points every schema problem at its file, line and column without echoing values', () => {
    const text = `version: 1
clients:
  - client_id: demo-app
    client_secret: \${SHORT}
    redirect_uris: [not-a-url]
    colour: blue
  - name: no id
    redirect_uris: ["http://localhost/cb"]
`;
    const problems = problemsOf(text, { SHORT: 'tooshort-secret' });
    const lines = problems.map((problem) => `${problem.line}:${problem.column} ${problem.message}`);
    expect(lines).toEqual([
      '4:5 clients[0].client_secret: client secrets need at least 32 characters',
      '5:21 clients[0].redirect_uris[0]: Invalid URL',
      '6:5 clients[0].colour: unknown field',
      '7:5 clients[1].client_id: is required',
    ]);
    expect(JSON.stringify(problems)).not.toContain('tooshort-secret');
  });

  it('refuses unknown sections naming their lines, and accepts every section of the example', () => {
    const problems = problemsOf(
      'version: 1\norganizations:\n  acme:\n    name: Acme\n    plan:\n      tier: pro\nfederations: {}\ngadgets: {}\n',
    );
    expect(problems.map((problem) => [problem.line, problem.message])).toEqual([
      [8, 'gadgets: unknown section (expected version, clients, users, organizations, federations)'],
    ]);
  });

  it('rejects duplicate client ids and emails (case-insensitive), naming both lines', () => {
    const text = `version: 1
clients:
  - { client_id: app-one, redirect_uris: ["http://localhost/cb"] }
  - { client_id: app-one, redirect_uris: ["http://localhost/cb"] }
users:
  - email: ops@example.test
  - email: OPS@example.test
`;
    expect(problemsOf(text).map((problem) => `${problem.line}: ${problem.message}`)).toEqual([
      '4: clients[1].client_id: "app-one" is already defined on line 3',
      '7: users[1].email: "ops@example.test" is already defined on line 6',
    ]);
  });

  it('checks users: argon2id hashes only, minimum password length, not both', () => {
    const text = `version: 1
users:
  - { email: a@example.test, password_hash: "$2b$10$abcdefghijklmnopqrstuv" }
  - { email: b@example.test, password: short }
  - { email: c@example.test, password: long-enough, password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo" }
  - { email: not-an-email }
`;
    expect(problemsOf(text).map((problem) => `${problem.line}: ${problem.message}`)).toEqual([
      '3: users[0].password_hash: must be an argon2id PHC string ($argon2id$v=19$m=...,t=...,p=...$salt$hash)',
      '4: users[1].password: passwords need at least 8 characters',
      '5: users[2].password_hash: give either password or password_hash, not both',
      '6: users[3].email: not an email address',
    ]);
  });

  it('reports YAML syntax errors, duplicate keys and a wrong version with their lines', () => {
    expect(problemsOf('version: 1\nclients:\n  - client_id: a\n    client_id: b\n')[0]).toMatchObject({
      line: 4,
      message: 'Map keys must be unique',
    });
    expect(problemsOf('version: 1\nclients: [\n')[0]?.line).toBeGreaterThanOrEqual(2);
    expect(problemsOf('version: 2\n')).toEqual([
      { file: 'gatehouse.yaml', line: 1, column: 1, message: 'version: must be 1' },
    ]);
    expect(problemsOf('')[0]?.message).toMatch(/empty/);
  });

  it('formats the error as file:line:column lines', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gatehouse-load-'));
    const path = join(dir, 'bad.yaml');
    await writeFile(path, 'version: 1\nusers:\n  - email: nope\n');
    await expect(loadConfigFile(path, {})).rejects.toThrow(
      `${path}:3:5: users[0].email: not an email address`,
    );
    await expect(loadConfigFile(join(dir, 'missing.yaml'), {})).rejects.toThrow(
      /missing\.yaml: cannot read the file \(ENOENT\)/,
    );
  });

  it('accepts the Foundation part of the example file, and the later sections after it', () => {
    // The head of gatehouse.example.yaml (the product's intended shape), verbatim.
    const foundation = `version: 1

clients:
  - client_id: demo-app
    name: Demo app
    client_secret: \${DEMO_APP_SECRET}          # omitted -> public client (PKCE required)
    redirect_uris: ["http://localhost:8080/callback"]
    post_logout_redirect_uris: ["http://localhost:8080/"]
    grant_types: [authorization_code, refresh_token]
    scopes: [openid, email, profile, organization, roles, offline_access]
    backchannel_logout_uri: http://localhost:8080/backchannel-logout
  - client_id: billing-service
    client_secret: \${BILLING_SECRET}
    grant_types: [client_credentials]
    resources: ["https://api.example.test/billing"]  # RFC 8707 audience -> JWT access tokens

users:                                          # local accounts (password set by hash or env)
  - email: admin@gatehouse.test
    password: \${ADMIN_PASSWORD}
    name: Local Admin
`;
    const later = `
organizations:
  broker_network:
    name: Broker Network
    plan:
      tier: pro
      monthly_active_users: 500

federations:
  broker_trust:
    members: [broker_network]
`;
    const env = { DEMO_APP_SECRET: SECRET, BILLING_SECRET: SECRET, ADMIN_PASSWORD: 'correct horse' };
    expect(
      parseConfigText(foundation, 'example.yaml', env).clients.map((client) => client.client_id),
    ).toEqual(['demo-app', 'billing-service']);
    const whole = parseConfigText(foundation + later, 'example.yaml', env);
    expect(whole.federations).toEqual([
      { slug: 'broker_trust', name: null, members: ['broker_network'], rules: [] },
    ]);
  });
});
