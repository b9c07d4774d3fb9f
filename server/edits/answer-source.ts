/**
 * Where an answer comes from when the sandbox does not generate it: the API the recording
 * proxy forwards to (SANDBOX_UPSTREAM), or a cassette (SANDBOX_REPLAY_DIR). The edits and
 * Files routes hand it each request once the body is read and the controls applied; it
 * answers, or declines and the sandbox answers as usual. The sources themselves live in
 * server/proxy/, above the routes that call them.
 */
import type { Request, RequestHandler, Response } from 'express';
import type { JournalRecorder } from './journal-recorder';
import type { ParsedForm } from './types';

/** A request whose body the sandbox's readers have read. */
export interface ReadRequest {
  /** Whose journal the request is recorded in. */
  readonly namespace: string;
  /** The body as the sandbox's readers parsed it; undefined for a request without one. */
  readonly form: ParsedForm | undefined;
  /** An edit's open journal record; undefined for a Files call (a source that answers opens one). */
  readonly journal: JournalRecorder | undefined;
}

export interface AnswerSource {
  /** Runs right before the body readers when the source needs the body's bytes as sent. */
  readonly captureBody: RequestHandler | undefined;
  /** True when it answered `res`; false leaves the request to the sandbox. */
  answer(req: Request, res: Response, request: ReadRequest): Promise<boolean>;
}
