/**
 * stream=true: the same plan rendered as `image_edit.partial_image` events (k previews, more
 * of the edit revealed each time) and one `image_edit.completed` event whose image equals the
 * non-streamed answer's, and whose usage bills the partials too (account.ts).
 * @see ../shared/reference/streaming.md
 */
import type { ServerResponse } from 'node:http';
import { errors } from '../errors/catalogue';
import { isSandboxError, type SandboxError } from '../errors/sandbox-error';
import { openStream, type SseEvent } from '../streaming/sse';
import type { Usage } from './account';
import type { EditPlan } from './types';

/** Renders the streamed image at a reveal: below 1 a partial preview, 1 the completed image. */
export type RenderAtReveal = (reveal: number) => Promise<Buffer>;

/** An image an event carried: which list of the journal keeps it, and at which index. */
export interface StreamedImage {
  readonly kind: 'partials' | 'outputs';
  readonly index: number;
  readonly bytes: Buffer;
}

/** Told of each event once it is written to the client (never of one the client left before). */
export type OnEventWritten = (event: SseEvent, image: StreamedImage | undefined) => void;

export interface StreamOptions {
  /** Unix seconds, the `created_at` of every event. */
  readonly created: number;
  /** Milliseconds between events (config.streamIntervalMs). */
  readonly intervalMs: number;
  /** The request's id, for error texts that cite it. */
  readonly requestId?: string;
  readonly onWritten?: OnEventWritten;
  /** Scenario `stream_error`: end the stream with this error after its first event (right after the headers when there are no partials). */
  readonly failWith?: SandboxError;
  /** Told how the stream ended once its headers were out (outcome coverage), before the last bytes are written. */
  readonly onEnd?: (end: StreamEnd) => void;
}

/** `completed`: every event written; `error-event`: ended by an error event; `client-left`: the client went first. */
export type StreamEnd = 'completed' | 'error-event' | 'client-left';

/** The resolved values every event echoes, in the live field order. */
function echoedValues(plan: EditPlan, created: number) {
  return { created_at: created, size: plan.size, quality: plan.quality, background: plan.background, output_format: plan.outputFormat };
}

/** @see openapi.yaml#/components/schemas/ImageEditPartialImageEvent */
export function partialImageEvent(plan: EditPlan, created: number, index: number, image: Buffer): SseEvent {
  const type = 'image_edit.partial_image';
  return { event: type, data: { type, b64_json: image.toString('base64'), ...echoedValues(plan, created), partial_image_index: index } };
}

/** @see openapi.yaml#/components/schemas/ImageEditCompletedEvent */
export function completedEvent(plan: EditPlan, created: number, image: Buffer, usage: Usage): SseEvent {
  const type = 'image_edit.completed';
  return { event: type, data: { type, b64_json: image.toString('base64'), ...echoedValues(plan, created), usage } };
}

/** How much of the edit partial `index` of `count` shows: evenly spaced, never the whole. */
export function partialReveal(index: number, count: number): number {
  return (index + 1) / (count + 1);
}

/** The reveal of a stream's first event: its first partial, or the completed image when it has none. */
export function firstReveal(plan: EditPlan): number {
  return plan.partialImages > 0 ? partialReveal(0, plan.partialImages) : 1;
}

/**
 * Writes the stream. The first event's image comes rendered (before the headers go out, so
 * its failures are still ordinary JSON errors); the completed image is rendered once that
 * event is out, while the client reads it and the next partials are drawn, so the first event
 * never waits for it. A failure after the headers ends the stream with an `error` event and
 * is rethrown for the error middleware to log and record. A client that leaves stops the work.
 */
export async function respondStream(
  res: ServerResponse,
  plan: EditPlan,
  first: Buffer,
  render: RenderAtReveal,
  usage: Usage | undefined,
  options: StreamOptions,
): Promise<void> {
  // Only models that report usage stream (rules table), so this is an invariant, not a branch.
  if (!usage) throw errors.internal();
  if (res.destroyed) return; // the client left while the first image was rendering
  const stream = openStream(res, options.requestId);
  const send = async (event: SseEvent, image?: StreamedImage) => {
    if (await stream.write(event)) options.onWritten?.(event, image);
  };
  const clientLeft = () => {
    options.onEnd?.('client-left');
  };
  let final: Promise<Buffer> = Promise.resolve(first);
  try {
    if (options.failWith && plan.partialImages === 0) throw options.failWith;
    for (let index = 0; index < plan.partialImages; index++) {
      if (stream.closed) return clientLeft();
      const partial = index === 0 ? first : await render(partialReveal(index, plan.partialImages));
      if (stream.closed) return clientLeft();
      await send(partialImageEvent(plan, options.created, index, partial), { kind: 'partials', index, bytes: partial });
      if (options.failWith) throw options.failWith;
      if (index === 0) {
        final = render(1);
        // Awaited below; until then a failure must not count as unhandled (the stream may end first).
        final.catch(() => undefined);
      }
      await stream.pause(options.intervalMs);
    }
    if (stream.closed) return clientLeft();
    const image = await final;
    if (stream.closed) return clientLeft();
    options.onEnd?.('completed');
    await send(completedEvent(plan, options.created, image, usage), { kind: 'outputs', index: 0, bytes: image });
    stream.end();
  } catch (err) {
    if (stream.closed) clientLeft();
    else options.onEnd?.('error-event');
    const written = await stream.fail(isSandboxError(err) ? err : errors.internal());
    if (written) options.onWritten?.(written, undefined);
    throw err;
  }
}
