/**
 * One autocannon run, as its own process so the runner can pin it to a core (`taskset -c 1`). Takes a JSON job on
 * argv[2] and prints one JSON line with the outcome. A job's `requests` are sent in order on every connection and
 * start over when done, so a sequence of N requests (Mesh's 1 + N dashboard, a restart then a wait) counts as one
 * operation per N requests. Every response body is checked for a GraphQL `errors` entry.
 */
import autocannon from 'autocannon';

export interface LoadJob {
  url: string;
  connections: number;
  seconds: number;
  requests: Array<{ method: 'GET' | 'POST'; body: string; headers?: Record<string, string> }>;
}

export interface LoadResult {
  requests: number;
  seconds: number;
  /** Requests answered per second (not operations: divide by the sequence length). */
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  graphqlErrors: number;
}

const job = JSON.parse(process.argv[2] ?? '{}') as LoadJob;
let graphqlErrors = 0;
const result = await autocannon({
  url: job.url,
  connections: job.connections,
  duration: job.seconds,
  pipelining: 1,
  requests: job.requests.map((r) => ({
    method: r.method,
    body: r.body,
    headers: { 'content-type': 'application/json', authorization: 'Bearer some-fake', ...r.headers },
    onResponse: (_status: number, body: string) => {
      if (body.includes('"errors"')) graphqlErrors += 1;
    },
  })),
});
const out: LoadResult = {
  requests: result.requests.total,
  seconds: result.duration,
  rps: result.requests.total / result.duration,
  p50: result.latency.p50,
  p90: result.latency.p90,
  p99: result.latency.p99,
  non2xx: result.non2xx,
  errors: result.errors,
  timeouts: result.timeouts,
  graphqlErrors,
};
process.stdout.write(`${JSON.stringify(out)}\n`);
