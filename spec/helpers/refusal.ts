/**
 * What a step refused with: the status and envelope fields of the SandboxError it threw, so a
 * unit table can compare them with the same columns an HTTP table does. The message is the one
 * a client reads: texts that cite the request's id cite REQUEST_ID (the HTTP tests check that
 * the real one is cited).
 */
import { SandboxError } from '../../server/errors/sandbox-error';

export interface Refusal {
  readonly status: number;
  readonly type: string;
  readonly param: string | null;
  readonly code: string | null;
  readonly message: string;
}

/** The request id a refusal's text cites, where the live text cites one. */
export const REQUEST_ID = `req_${'0'.repeat(32)}`;

/** A live text that ends by citing the request's id (invalid_image_file, moderation_blocked), as a refusal reads it. */
export function citingRequestId(text: string): string {
  return `${text} If you believe this is an error, contact us at help.openai.com and include the request ID ${REQUEST_ID}.`;
}

/** Runs a step (sync or async); fails the test unless it throws a SandboxError. */
export async function refusalOf(step: () => unknown): Promise<Refusal> {
  try {
    await step();
  } catch (error) {
    if (!(error instanceof SandboxError)) throw error;
    return { status: error.status, ...error.toBody(REQUEST_ID).error };
  }
  throw new Error('expected the step to refuse with a SandboxError, but it returned');
}
