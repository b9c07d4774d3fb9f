/**
 * openapi.yaml parsed once at build time: `npm run build` writes dist/openapi.json (the
 * document and the sha256 of the YAML it came from), and start-up reads it with JSON.parse
 * instead of parsing 47 KB of YAML (about 150 ms here unloaded, most of the time to a healthy
 * sandbox). A copy that does not match the YAML's bytes is ignored, so it can never be stale.
 * Usage (by the build script): node dist/server/contract/parsed-spec.js
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** The YAML parser, loaded only when there is no parsed copy (about 75 ms of start-up). */
function parseYaml(text: string): unknown {
  return (require('yaml') as typeof import('yaml')).parse(text);
}

interface ParsedCopy {
  readonly source: string;
  readonly document: Record<string, unknown>;
}

/** Where the parsed copy of the package's openapi.yaml lives. */
export function parsedSpecPath(specPath: string): string {
  return path.join(path.dirname(specPath), 'dist', 'openapi.json');
}

const digest = (text: string) => createHash('sha256').update(text).digest('hex');

/** The document of `text` (the YAML at specPath): from the parsed copy when it matches, else parsed now. */
export function parseSpec(text: string, specPath: string): Record<string, unknown> {
  try {
    const copy = JSON.parse(fs.readFileSync(parsedSpecPath(specPath), 'utf8')) as ParsedCopy;
    if (copy.source === digest(text)) return copy.document;
  } catch {
    // No copy (running from source): parse the YAML.
  }
  return parseYaml(text) as Record<string, unknown>;
}

export function writeParsedSpec(specPath: string): void {
  const text = fs.readFileSync(specPath, 'utf8');
  const copy: ParsedCopy = { source: digest(text), document: parseYaml(text) as Record<string, unknown> };
  fs.mkdirSync(path.dirname(parsedSpecPath(specPath)), { recursive: true });
  fs.writeFileSync(parsedSpecPath(specPath), JSON.stringify(copy));
}

if (require.main === module) {
  // Beside this file's package root: dist/server/contract -> the root.
  writeParsedSpec(path.resolve(__dirname, '..', '..', '..', 'openapi.yaml'));
}
