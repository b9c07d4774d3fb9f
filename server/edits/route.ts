/**
 * POST /v1/images/edits: the pipeline of DESIGN.md, one step after another. Each step
 * returns its result or throws a SandboxError; the error middleware renders the latter.
 */
import express, { Router, type Request, type Response } from 'express';
import type { SandboxConfig } from '../config';
import type { Contract } from '../contract/spec';
import type { Stores } from '../stores/create-stores';
import { accountUsage } from './account';
import { applyControls } from './apply-controls';
import { readControlHeaders } from './control-headers';
import { inspectUploads } from './inspect';
import { openJournalEntry, recordForm, recordInputs, recordOutputs, recordPlan } from './journal-recording';
import { multipartReader, toParsedForm } from './parse';
import { authenticate } from './receive';
import { prepareEdit, renderImage } from './render';
import { resolvePlan } from './resolve';
import { sendImagesResponse } from './send-images-response';
import { respondStream } from './respond-stream';
import { validateForm } from './validate';

export interface EditsDeps {
  readonly config: SandboxConfig;
  readonly contract: Contract;
  readonly stores: Stores;
}

/** The origin clients reached us on (or the configured public one), for absolute urls. */
function originOf(req: Request, config: SandboxConfig): string {
  return config.publicUrl ?? `${req.protocol}://${req.get('host') ?? `${config.host}:${config.port}`}`;
}

export function editsRouter(deps: EditsDeps): Router {
  const { config, contract, stores } = deps;
  const router = Router();
  router.post(
    '/v1/images/edits',
    openJournalEntry(stores.journal),
    authenticate(config),
    readControlHeaders(config),
    // Non-multipart bodies are read too, so they get the same field-by-field answers.
    express.json({ limit: '1mb' }),
    express.urlencoded({ extended: false, limit: '1mb' }),
    multipartReader(config),
    async (req: Request, res: Response) => {
      const parsed = toParsedForm(req.body, req.files as Express.Multer.File[] | undefined);
      recordForm(res, parsed);
      await applyControls(req, res, parsed, deps);
      if (res.destroyed) return; // the client gave up while the answer was held
      const form = validateForm(parsed, contract, config);
      const inputs = await inspectUploads(form, config);
      recordInputs(res, inputs);
      const plan = resolvePlan(form, inputs, config);
      const prepared = await prepareEdit(plan, inputs, {
        cache: stores.fitCache,
        renders: stores.renders,
        maxInputPixels: config.maxInputPixels,
        legacyPngCheck: form.rules.legacyPngCheck,
      });
      const usage = accountUsage(plan, inputs, form.rules);
      recordPlan(res, plan, usage);
      const created = stores.clock.nowSeconds();
      res.setHeader('openai-processing-ms', String(Math.round(performance.now() - (res.locals.startedAt as number))));
      if (plan.stream) {
        // The completed event's image: rendered once here, then served from the render cache to the stream.
        recordOutputs(res, plan, [await renderImage(plan, prepared, 0)]);
        await respondStream(res, plan, prepared, usage, { created, intervalMs: config.streamIntervalMs });
        return;
      }
      const images: Buffer[] = [];
      for (let index = 0; index < plan.n; index++) images.push(await renderImage(plan, prepared, index));
      recordOutputs(res, plan, images);
      const origin = originOf(req, config);
      const publish = (bytes: Buffer) => `${origin}/__sandbox/files/${stores.files.put(bytes, plan.outputFormat).name}`;
      sendImagesResponse(res.status(200), plan, images, usage, created, publish, stores.renders.base64Of);
    },
  );
  return router;
}
