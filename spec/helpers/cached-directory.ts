/**
 * A directory the tests build once and every later run reuses: Chromium unpacked from its npm
 * package, the venv with the official Python SDK. It is built in a staging directory and
 * published with one rename, so nobody ever sees half a build, and two jest workers that
 * build at once both end with the same complete directory (the second copy is thrown away).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** Under node_modules: `npm ci` starts it afresh, git never sees it, and nothing is shared with other checkouts. */
export const CACHE_ROOT = path.resolve(__dirname, '..', '..', 'node_modules', '.cache', 'image-edits-sandbox');

/**
 * `<root>/<name>-<hash of key>`, built by `build(stagingDir)` the first time it is asked for.
 * Put everything the result depends on (versions, pinned requirements, interpreter) in `key`:
 * a change makes a new directory instead of reusing a stale one.
 */
export async function cachedDirectory(name: string, key: string, build: (stagingDir: string) => Promise<void>, root = CACHE_ROOT): Promise<string> {
  const target = path.join(root, `${name}-${createHash('sha256').update(key).digest('hex').slice(0, 16)}`);
  if (fs.existsSync(target)) return target;
  fs.mkdirSync(root, { recursive: true });
  removeAbandonedStaging(root, name);
  const staging = fs.mkdtempSync(path.join(root, `.staging-${name}-`));
  try {
    await build(staging);
    fs.renameSync(staging, target);
  } catch (err) {
    fs.rmSync(staging, { recursive: true, force: true });
    // Another worker published the same directory first: use theirs.
    if (isNotEmpty(err) && fs.existsSync(target)) return target;
    throw err;
  }
  return target;
}

/** A run killed mid-build leaves its staging directory (Chromium is 200 MB); an hour is far longer than any build. */
function removeAbandonedStaging(root: string, name: string, maxAgeMs = 60 * 60 * 1000): void {
  for (const entry of fs.readdirSync(root)) {
    if (!entry.startsWith(`.staging-${name}-`)) continue;
    const dir = path.join(root, entry);
    const stat = fs.statSync(dir, { throwIfNoEntry: false });
    if (stat && Date.now() - stat.mtimeMs > maxAgeMs) fs.rmSync(dir, { recursive: true, force: true });
  }
}

function isNotEmpty(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOTEMPTY' || code === 'EEXIST';
}
