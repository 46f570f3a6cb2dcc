import { availableParallelism } from 'node:os';
import { createArgon2Hasher } from '../src/lib/crypto/password.js';
import { USER } from './settings.js';

/**
 * argon2id verification on its own, with Gatehouse's hasher and parameters: how long one takes
 * with nothing else running, and how many per second this machine can do at most when the
 * libuv thread pool is kept full (that is the ceiling for sign-ins per second).
 */
export interface Argon2Timing {
  /** Median of sequential verifications, one at a time. */
  verifyMs: number;
  /** Verifications per second with `inFlight` in flight (pool of UV_THREADPOOL_SIZE threads). */
  ceilingPerSecond: number;
  inFlight: number;
  threadPoolSize: number;
  cores: number;
}

export async function timeArgon2(samples = 20, ceilingSeconds = 3): Promise<Argon2Timing> {
  const hasher = createArgon2Hasher();
  const hash = await hasher.hash(USER.password);
  await hasher.verify(hash, USER.password);

  const durations: number[] = [];
  for (let index = 0; index < samples; index += 1) {
    const begin = performance.now();
    if (!(await hasher.verify(hash, USER.password))) throw new Error('argon2 verification failed');
    durations.push(performance.now() - begin);
  }
  durations.sort((a, b) => a - b);

  const threadPoolSize = Number(process.env.UV_THREADPOOL_SIZE) || 4;
  const inFlight = threadPoolSize * 2;
  let done = 0;
  const started = performance.now();
  const deadline = started + ceilingSeconds * 1000;
  const lane = async () => {
    while (performance.now() < deadline) {
      await hasher.verify(hash, USER.password);
      done += 1;
    }
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
  const elapsed = (performance.now() - started) / 1000;

  return {
    verifyMs: Math.round(durations[Math.floor(samples / 2)]! * 100) / 100,
    ceilingPerSecond: Math.round((done / elapsed) * 10) / 10,
    inFlight,
    threadPoolSize,
    cores: availableParallelism(),
  };
}
