/**
 * POST /v1/images/edits: the pipeline of DESIGN.md, one step after another. Each step
 * returns its result or throws a SandboxError; the error middleware renders the latter.
 */
import os from 'node:os';
import express, { type Router, type Request, type Response } from 'express';
import { routeTable } from '../http/route-table';
import type { SandboxConfig } from '../config';
import type { Contract } from '../contract/spec';
import { streamFailureOutcomeId, successOutcomeId } from '../coverage/outcomes';
import type { OutcomeRecorder } from '../coverage/record-outcome';
import type { RenderCaches } from '../images/render-caches';
import { slots } from '../images/slots';
import type { Logger } from '../logger';
import type { Stores } from '../stores/create-stores';
import { accountUsage } from './account';
import type { AnswerSource } from './answer-source';
import { applyControls } from './apply-controls';
import { cachedRenderer } from './cached-render';
import { decodeInputs } from './decode';
import { inspectUploads } from './inspect';
import { loadImageRefs } from './load-refs';
import { multipartReader, refuseDeepJson, toParsedForm } from './parse';
import { editContextOf, receive } from './receive';
import { resolvePlan } from './resolve';
import { firstReveal, respondStream, type OnEventWritten, type RenderAtReveal } from './respond-stream';
import { sendImagesResponse } from './send-images-response';
import { chooseModel, validateForm } from './validate';

export interface EditsDeps {
  readonly config: SandboxConfig;
  readonly contract: Contract;
  readonly stores: Stores;
  readonly caches: RenderCaches;
  readonly logger: Logger;
  /** The upstream or the cassette that answers instead of the sandbox, when configured. */
  readonly answerSource?: AnswerSource | undefined;
  /** Counts each answer's outcome in its namespace (outcome coverage). */
  readonly outcomes: OutcomeRecorder;
}

/** The origin clients reached us on (or the configured public one), for absolute urls. */
function originOf(req: Request, config: SandboxConfig): string {
  return config.publicUrl ?? requestOrigin(req, config);
}

function requestOrigin(req: Request, config: SandboxConfig): string {
  return `${req.protocol}://${req.get('host') ?? `${config.host}:${config.port}`}`;
}

/** The origins whose URLs this sandbox served to this client: an `image_url` on any other is never fetched. */
function ownOrigins(req: Request, config: SandboxConfig): string[] {
  const origins = [requestOrigin(req, config)];
  if (config.publicUrl) origins.push(config.publicUrl);
  return origins.flatMap((origin) => {
    try {
      return [new URL(origin).origin];
    } catch {
      return [];
    }
  });
}

export function editsRouter(deps: EditsDeps): Router {
  const { config, contract, stores, caches, answerSource, outcomes } = deps;
  const render = cachedRenderer(caches);
  const decodes = slots(os.availableParallelism());
  const router = routeTable();
  router.post(
    '/v1/images/edits',
    receive(deps),
    ...(answerSource?.captureBody ? [answerSource.captureBody] : []),
    // The JSON body form (images by reference); url-encoded bodies are read as multipart text.
    express.json({ limit: config.maxJsonBodyBytes }),
    refuseDeepJson(),
    express.urlencoded({ extended: false, limit: '1mb' }),
    multipartReader(config),
    async (req: Request, res: Response) => {
      const context = editContextOf(res);
      const parsed = toParsedForm(req.body, req.files as Express.Multer.File[] | undefined, req.is('application/json') ? 'json' : 'multipart', caches.uploads);
      context.journal.recordForm(parsed);
      const model = chooseModel(parsed, config);
      const effects = await applyControls(res, context, { model, prompt: typeof parsed.fields.prompt === 'string' ? parsed.fields.prompt : '' }, deps);
      if (res.destroyed) return; // the client gave up while the answer was held
      if (answerSource && (await answerSource.answer(req, res, { namespace: context.namespace, form: parsed, journal: context.journal }))) return;
      const validated = validateForm(parsed, model, contract, config);
      const { state } = stores;
      const sources = { namespace: context.namespace, fileObjects: state.fileObjects, urlFiles: state.urlFiles, urlSigner: stores.urlSigner, origins: ownOrigins(req, config) };
      const form = await loadImageRefs(validated, sources);
      if (form !== validated) context.journal.recordUploads(form.images, form.mask);
      const inputs = await inspectUploads(form, config, caches.headers);
      context.journal.recordInputs(inputs);
      const plan = resolvePlan(form, inputs, context.seed);
      const decoded = await decodeInputs(plan, inputs, { caches, maxInputPixels: config.maxInputPixels, decodes });
      const usage = accountUsage(plan, inputs);
      context.journal.recordPlan(plan, usage);
      const created = stores.clock.nowSeconds();
      res.setHeader('openai-processing-ms', String(Math.round(performance.now() - res.locals.startedAt)));
      const { family } = validated.rules;
      if (plan.stream) {
        const renderAt: RenderAtReveal = (reveal) => render(plan, decoded, 0, reveal);
        // The first event's image is rendered before the headers go out: its failures are still JSON errors.
        const first = await renderAt(firstReveal(plan));
        // The journal keeps an image only once its event reached the client.
        const onWritten: OnEventWritten = (event, image) => context.journal.recordStreamEvent(event, image);
        await respondStream(res, plan, first, renderAt, usage, {
          created,
          intervalMs: config.streamIntervalMs,
          requestId: context.requestId,
          onWritten,
          ...(effects.streamFailure ? { failWith: effects.streamFailure } : {}),
          onEnd: (end) =>
            outcomes.record(res, end === 'completed' ? successOutcomeId(family, form.bodyForm, 'stream', plan.partialImages) : streamFailureOutcomeId(family, end)),
        });
        return;
      }
      const images: Buffer[] = [];
      for (let index = 0; index < plan.n; index++) images.push(await render(plan, decoded, index));
      context.journal.recordOutputs(plan, images);
      const origin = originOf(req, config);
      const names = plan.responseFormat === 'url' ? await Promise.all(images.map((bytes) => stores.state.urlFiles.put(context.namespace, bytes, plan.outputFormat))) : [];
      // Signed with an expiry, so any replica can serve it and none serves a changed one.
      const publish = (_bytes: Buffer, index: number) => `${origin}/__sandbox/files/${names[index]!.name}?${stores.urlSigner.sign(names[index]!.name, names[index]!.expiresAt)}`;
      outcomes.record(res, successOutcomeId(family, form.bodyForm, plan.responseFormat));
      context.journal.recordImagesBody(sendImagesResponse(res.status(200), plan, images, usage, created, publish, caches.base64Of));
    },
  );
  return router;
}
