/**
 * The one error the pipeline throws. Its fields are the ones the official SDKs read from
 * `body.error` (openai-node `APIError`): status, type, param, code, message.
 */
export class SandboxError extends Error {
  readonly status: number;
  readonly type: string;
  readonly param: string | null;
  readonly code: string | null;
  /** Extra response headers this error must carry (e.g. `retry-after` on a 429). */
  readonly headers: Readonly<Record<string, string>>;

  constructor(init: {
    status: number;
    type: string;
    message: string;
    param?: string | null;
    code?: string | null;
    headers?: Record<string, string>;
  }) {
    super(init.message);
    this.name = 'SandboxError';
    this.status = init.status;
    this.type = init.type;
    this.param = init.param ?? null;
    this.code = init.code ?? null;
    this.headers = init.headers ?? {};
  }

  /** The wire envelope: `{"error":{"message","type","param","code"}}`. */
  toBody(): { error: { message: string; type: string; param: string | null; code: string | null } } {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

export function isSandboxError(value: unknown): value is SandboxError {
  return value instanceof SandboxError;
}
