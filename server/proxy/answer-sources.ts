/**
 * Which source answers instead of the sandbox, from the config: the upstream (recording into
 * a cassette or not), a cassette, or none.
 */
import { MULTIPART_LIMITS } from '../edits/parse';
import type { AnswerSource } from '../edits/answer-source';
import { CassetteWriter } from './cassette-writer';
import { cassetteReplay } from './replay';
import { upstreamProxy, type ProxyDeps } from './upstream-proxy';

/** @throws CassetteError when the record or replay directory cannot be used. */
export function answerSourceFor(deps: ProxyDeps): AnswerSource | undefined {
  const { config } = deps;
  if (config.upstream !== null) {
    // The proxy holds a body as sent beside what the readers hold: no more than they would take.
    const maxBodyBytes = Math.max(config.maxJsonBodyBytes, MULTIPART_LIMITS.files * config.maxUploadBytes + MULTIPART_LIMITS.fields * MULTIPART_LIMITS.fieldSize);
    return upstreamProxy(deps, config.upstream, config.recordDir === null ? undefined : CassetteWriter.open(config.recordDir), maxBodyBytes);
  }
  if (config.replayDir !== null) return cassetteReplay(deps, config.replayDir, config.replayMiss);
  return undefined;
}
