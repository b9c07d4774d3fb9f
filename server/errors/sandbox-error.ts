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
  /**
   * Whether the live text ends with "If you believe this is an error, contact us at
   * help.openai.com and include the request ID req_…" naming the request it answers.
   */
  readonly citesRequestId: boolean;
  /** Keys the live API adds inside `error` after `code` (e.g. `moderation_details`). */
  readonly details: Readonly<Record<string, unknown>>;
  /** The catalogue entry that built it (catalogue.ts stamps every error it makes); null for any other. */
  private built: { readonly name: string; readonly group: string } | null = null;

  constructor(init: {
    status: number;
    type: string;
    message: string;
    param?: string | null;
    code?: string | null;
    headers?: Record<string, string>;
    citesRequestId?: boolean;
    details?: Record<string, unknown>;
  }) {
    super(init.message);
    this.name = 'SandboxError';
    this.status = init.status;
    this.type = init.type;
    this.param = init.param ?? null;
    this.code = init.code ?? null;
    this.headers = init.headers ?? {};
    this.citesRequestId = init.citesRequestId ?? false;
    this.details = init.details ?? {};
  }

  /** Records the catalogue entry that built this error (the first one, if one entry calls another). */
  builtBy(name: string, group: string): this {
    this.built ??= { name, group };
    return this;
  }

  /** The catalogue name it was built by, e.g. `missingParameter`; null when not built by the catalogue. */
  get catalogueName(): string | null {
    return this.built?.name ?? null;
  }

  /** The catalogue group of that name (the pipeline step, or `transport`, `outcomes`, `controls`). */
  get catalogueGroup(): string | null {
    return this.built?.group ?? null;
  }

  /** The message as the client reads it: with the request-id sentence where the live API adds one. */
  messageFor(requestId: string | undefined): string {
    if (!this.citesRequestId || requestId === undefined) return this.message;
    return `${this.message} If you believe this is an error, contact us at help.openai.com and include the request ID ${requestId}.`;
  }

  /** The wire envelope: `{"error":{"message","type","param","code", …details}}`. */
  toBody(requestId?: string): { error: { message: string; type: string; param: string | null; code: string | null; [detail: string]: unknown } } {
    return { error: { message: this.messageFor(requestId), type: this.type, param: this.param, code: this.code, ...this.details } };
  }
}

export function isSandboxError(value: unknown): value is SandboxError {
  return value instanceof SandboxError;
}
