import { fork, type ChildProcess } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { childScript } from './child-script.js';
import type { OrganizationSeeding } from './organizations.js';
import type { Target } from './scenarios/scenario.js';
import type { SsoSeeding } from './sso.js';

/**
 * One server in its own Node process, so it shares an event loop with neither the load driver
 * nor the other servers. It reports its issuer over IPC and stops on 'stop'.
 */
export interface RunningChild<Name extends string = string> {
  name: Name;
  issuer: string;
  pid: number;
  /** Gatehouse only, when it seeded the organizations of `org_token` and `org_exchange`. */
  seeding?: OrganizationSeeding;
  /** Gatehouse only, when it seeded the SSO tenancy of `federated_login`. */
  ssoSeeding?: SsoSeeding;
  stop(): Promise<void>;
}

/** A server under test (the partner IdP is a child too, but never a target). */
export type RunningTarget = RunningChild<Target['name']> & Target;

export function startChild<Name extends string>(
  name: Name,
  script: string,
  env: Record<string, string>,
  profile: boolean,
): Promise<RunningChild<Name>> {
  const profileDir = join(tmpdir(), `gatehouse-bench-profile-${name}`);
  const { path, execArgv } = childScript(script, import.meta.url, profile ? profileDir : undefined);
  const child: ChildProcess = fork(path, [], {
    env: { ...process.env, ...env },
    execArgv,
    // Children's output goes to stderr: stdout carries only the JSON report.
    stdio: ['ignore', 2, 2, 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code} before it was ready`)));
    child.once('message', (message) => {
      const { issuer, seeding, sso } = message as {
        issuer: string;
        seeding?: OrganizationSeeding;
        sso?: SsoSeeding;
      };
      if (profile) console.error(`[bench] ${name} writes its CPU profile to ${profileDir}`);
      resolve({
        name,
        issuer,
        pid: child.pid!,
        ...(seeding ? { seeding } : {}),
        ...(sso ? { ssoSeeding: sso } : {}),
        async stop() {
          if (child.exitCode !== null || child.signalCode !== null) return;
          if (child.connected) child.send('stop');
          else child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
          await exited;
          clearTimeout(timer);
        },
      });
    });
  });
}
