/** Control request bodies: read as JSON within a small bound, then against their openapi.yaml schema; ajv's first error -> the 400 envelope. */
import type { ErrorObject } from 'ajv';
import express, { type RequestHandler } from 'express';
import type { Contract } from '../contract/spec';
import { errors } from '../errors/catalogue';
import type { SandboxError } from '../errors/sandbox-error';

function paramOf(error: ErrorObject): string {
  const path = error.instancePath.split('/').slice(1).join('.');
  const missing = (error.params as { missingProperty?: string }).missingProperty;
  return missing ? [path, missing].filter(Boolean).join('.') : path || 'body';
}

export function fromControlSchemaError(error: ErrorObject): SandboxError {
  const extra = (error.params as { additionalProperty?: string }).additionalProperty;
  if (error.keyword === 'additionalProperties' && extra) return errors.unknownParameter(extra);
  if (error.keyword === 'required') return errors.missingParameter(paramOf(error));
  return errors.invalidControlValue(paramOf(error), error.message ?? 'invalid value');
}

/** The body, checked against `#/components/schemas/<schemaName>`; throws the first problem. */
export function checkControlBody<T>(body: unknown, schemaName: string, contract: Contract, refine?: (error: ErrorObject) => SandboxError | undefined): T {
  const validate = contract.validator(`/components/schemas/${schemaName}`);
  if (!validate(body ?? {})) {
    const first = validate.errors?.[0];
    if (!first) throw errors.invalidControlValue('body', 'invalid');
    throw refine?.(first) ?? fromControlSchemaError(first);
  }
  return (body ?? {}) as T;
}

/** Control bodies are small objects (a scenario, settings, a filter); nothing in them needs more. */
export const CONTROL_BODY_MAX_BYTES = 16 * 1024;

const readJson = express.json({ limit: CONTROL_BODY_MAX_BYTES });

/** express.json for control calls: an oversize body is told the control bound, not the edits' advice about images. */
export const readControlJson: RequestHandler = (req, res, next) => {
  readJson(req, res, (err?: unknown) => {
    const tooLarge = typeof err === 'object' && err !== null && (err as { type?: unknown }).type === 'entity.too.large';
    next(tooLarge ? errors.controlBodyTooLarge(CONTROL_BODY_MAX_BYTES) : err);
  });
};
