/** The package version, read once from package.json (beside server/ and dist/ alike). */
import fs from 'node:fs';
import path from 'node:path';
import { findSpecPath } from './contract/spec';

export const SANDBOX_VERSION: string = (
  JSON.parse(fs.readFileSync(path.join(path.dirname(findSpecPath()), 'package.json'), 'utf8')) as { version: string }
).version;
