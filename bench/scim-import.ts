import { BULK_REQUEST, callJson, isRecord } from './scim-http.js';
import { Samples, type LatencySummary } from './scim-latency.js';
import { entraUser } from './scim-users.js';

/**
 * The import: N users POSTed through /Bulk, `bulk` operations a request, `concurrency` requests
 * in flight (each worker takes the next slice when its last request answered), as a provisioning
 * agent's initial cycle does. Progress on stderr every PROGRESS_MS.
 */
const PROGRESS_MS = 10_000;
// Gatehouse runs a bulk's operations one after another: 1,000 Entra users may take a while.
const BULK_TIMEOUT_MS = 15 * 60_000;
const MAX_ERRORS_KEPT = 5;

export interface ImportResult {
  users: number;
  seconds: number;
  usersPerSecond: number;
  /** Operations that did not answer 201, plus every operation of a request that failed whole. */
  errors: number;
  firstErrors: string[];
  requests: number;
  requestBytes: { mean: number; max: number };
  /** Time per /Bulk request, in seconds' worth of ms. */
  requestLatency: LatencySummary;
}

export interface ImportRun {
  result: ImportResult;
  /** SCIM id of user `index`; undefined where its POST failed. */
  ids: (string | undefined)[];
}

const log = (message: string) => process.stderr.write(`[bench:scim] ${message}\n`);

export async function importUsers(options: {
  baseUrl: string;
  token: string;
  domain: string;
  users: number;
  bulk: number;
  concurrency: number;
  /** Users stored so far in the directory, for the progress line. */
  stored: () => Promise<number>;
}): Promise<ImportRun> {
  const { users, bulk } = options;
  const ids: (string | undefined)[] = new Array(users);
  const requestTimes = new Samples();
  const firstErrors: string[] = [];
  let errors = 0;
  let requests = 0;
  let bytes = 0;
  let maxBytes = 0;
  const failed = (count: number, message: string) => {
    errors += count;
    if (firstErrors.length < MAX_ERRORS_KEPT) firstErrors.push(message);
  };

  const sendSlice = async (first: number) => {
    const last = Math.min(users, first + bulk);
    const operations = [];
    for (let index = first; index < last; index += 1) {
      operations.push({
        method: 'POST',
        path: '/Users',
        bulkId: `u${index}`,
        data: entraUser(index, options.domain),
      });
    }
    const answer = await callJson(`${options.baseUrl}/Bulk`, {
      method: 'POST',
      token: options.token,
      body: { schemas: [BULK_REQUEST], Operations: operations },
      timeoutMs: BULK_TIMEOUT_MS,
    });
    requests += 1;
    bytes += answer.sentBytes;
    maxBytes = Math.max(maxBytes, answer.sentBytes);
    const outcomes =
      isRecord(answer.body) && Array.isArray(answer.body.Operations) ? answer.body.Operations : [];
    if (answer.status !== 200 || outcomes.length !== last - first) {
      failed(
        last - first,
        `/Bulk answered ${answer.status} with ${outcomes.length} outcomes: ${JSON.stringify(answer.body).slice(0, 300)}`,
      );
      return;
    }
    for (const outcome of outcomes as unknown[]) {
      const entry = isRecord(outcome) ? outcome : {};
      const index = Number(String(entry.bulkId).slice(1));
      if (String(entry.status) === '201' && typeof entry.location === 'string') {
        ids[index] = entry.location.slice(entry.location.lastIndexOf('/') + 1);
      } else failed(1, `user ${index}: ${entry.status} ${JSON.stringify(entry.response).slice(0, 300)}`);
    }
  };

  let nextSlice = 0;
  const started = performance.now();
  let lastTick = { at: started, done: 0 };
  // A /Bulk answers only when all its operations ran: the rows written so far tell the progress.
  const progress = setInterval(() => {
    options
      .stored()
      .then((stored) => {
        const now = performance.now();
        const rate = ((stored - lastTick.done) * 1000) / (now - lastTick.at);
        const overall = (stored * 1000) / (now - started);
        const eta = overall > 0 ? `~${Math.round((users - stored) / overall)} s to go` : '';
        log(
          `import: ${stored}/${users} users stored, ${Math.round(rate)}/s now, ` +
            `${Math.round(overall)}/s overall, ${eta}, ${errors} errors so far`,
        );
        lastTick = { at: now, done: stored };
      })
      .catch((error: unknown) => log(`import: progress unavailable: ${(error as Error).message}`));
  }, PROGRESS_MS);
  const worker = async () => {
    while (nextSlice < users) {
      const first = nextSlice;
      nextSlice += bulk;
      await requestTimes.time(async () => {
        try {
          await sendSlice(first);
        } catch (error) {
          failed(Math.min(bulk, users - first), `/Bulk of users ${first}+: ${(error as Error).message}`);
        }
      });
    }
  };
  try {
    await Promise.all(Array.from({ length: options.concurrency }, worker));
  } finally {
    clearInterval(progress);
  }
  const seconds = (performance.now() - started) / 1000;
  log(
    `import: ${users} users in ${seconds.toFixed(1)} s (${Math.round(users / seconds)}/s), ${errors} errors`,
  );
  return {
    ids,
    result: {
      users,
      seconds: Math.round(seconds * 10) / 10,
      usersPerSecond: Math.round((users / seconds) * 10) / 10,
      errors,
      firstErrors,
      requests,
      requestBytes: { mean: requests ? Math.round(bytes / requests) : 0, max: maxBytes },
      requestLatency: requestTimes.summary(),
    },
  };
}
