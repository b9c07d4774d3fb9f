/**
 * stream=true: the same plan rendered as `image_edit.partial_image` events (k previews, more
 * of the edit revealed each time) and one `image_edit.completed` event whose image and usage
 * equal the non-streamed answer. @see ../shared/reference/streaming.md
 */
import type { Response } from 'express';
import { openStream, writeEvent, type SseEvent } from '../streaming/sse';
import type { Usage } from './account';
import { renderImage, type PreparedEdit } from './render';
import type { EditPlan } from './types';

export interface StreamOptions {
  readonly created: number;
  /** Milliseconds between events. */
  readonly intervalMs: number;
}

function common(plan: EditPlan, created: number) {
  return { created_at: created, size: plan.size, quality: plan.quality, background: plan.background, output_format: plan.outputFormat };
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function respondStream(res: Response, plan: EditPlan, prepared: PreparedEdit, usage: Usage | undefined, options: StreamOptions): Promise<void> {
  // Rendered before the headers go out, so a failure is still an ordinary JSON error.
  const final = await renderImage(plan, prepared, 0);
  openStream(res);
  for (let index = 0; index < plan.partialImages; index++) {
    if (res.destroyed) return;
    const partial = await renderImage(plan, prepared, 0, (index + 1) / (plan.partialImages + 1));
    const event: SseEvent = {
      event: 'image_edit.partial_image',
      data: { type: 'image_edit.partial_image', b64_json: partial.toString('base64'), ...common(plan, options.created), partial_image_index: index },
    };
    await writeEvent(res, event);
    if (options.intervalMs > 0) await wait(options.intervalMs);
  }
  if (res.destroyed) return;
  await writeEvent(res, {
    event: 'image_edit.completed',
    data: { type: 'image_edit.completed', b64_json: final.toString('base64'), ...common(plan, options.created), usage },
  });
  res.end();
}
