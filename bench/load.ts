/** Fixed-duration load with autocannon (programmatic API); the body may change per request. */
export interface LoadOptions {
  readonly url: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  /** The body of request number i (0-based); return the same Buffer for a repeated request. */
  readonly body: (i: number) => Buffer;
  readonly connections: number;
  readonly seconds: number;
}

export interface LoadResult {
  readonly requests: number;
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly non2xx: number;
  readonly errors: number;
}

interface AutocannonResult {
  requests: { total: number; average: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
  duration: number;
}

interface AutocannonRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer;
  setupRequest?: (req: AutocannonRequest) => AutocannonRequest;
}

// autocannon ships no types; this is the part of its API the bench uses.
const autocannon = require('autocannon') as (options: Record<string, unknown>) => Promise<AutocannonResult>;

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  let i = 0;
  const first = options.body(0);
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.seconds,
    timeout: 30,
    requests: [
      {
        method: 'POST',
        path: options.path,
        headers: { ...options.headers },
        body: first,
        setupRequest: (req: AutocannonRequest) => {
          req.body = options.body(i++);
          return req;
        },
      },
    ],
  });
  return {
    requests: result.requests.total,
    rps: result.requests.total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}
