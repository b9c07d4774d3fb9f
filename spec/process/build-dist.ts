/**
 * Compiles server/ as `npm run build` does (tsconfig.build.json), once per source state, into
 * a private folder under node_modules/.cache, so process tests run the real JavaScript
 * without racing each other or a developer's own dist/. openapi.yaml and package.json are
 * found above it, as they are above dist/.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

export const REPO = path.resolve(__dirname, '..', '..');
const CACHE = path.join(REPO, 'node_modules', '.cache', 'image-edits-sandbox-spec');

function sourceHash(): string {
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((x, y) => x.name.localeCompare(y.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts')) hash.update(full).update(fs.readFileSync(full));
    }
  };
  walk(path.join(REPO, 'server'));
  for (const file of ['tsconfig.json', 'tsconfig.build.json']) hash.update(fs.readFileSync(path.join(REPO, file)));
  return hash.digest('hex').slice(0, 16);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The build folder (its `server/main.js`, `server/index.js`, `server/index.d.ts`), compiled if needed. */
export async function builtServer(): Promise<string> {
  const dir = path.join(CACHE, sourceHash());
  const done = path.join(dir, '.done');
  const lock = `${dir}.lock`;
  fs.mkdirSync(CACHE, { recursive: true });
  for (let waited = 0; !fs.existsSync(done); waited += 200) {
    try {
      fs.mkdirSync(lock);
    } catch {
      // Another jest worker is compiling the same sources: wait for it.
      if (waited > 120_000) throw new Error(`gave up waiting for ${lock}`);
      await sleep(200);
      continue;
    }
    try {
      const tsc = path.join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
      // Type errors in files being edited elsewhere still emit JavaScript; the tests judge that.
      await promisify(execFile)(process.execPath, [tsc, '-p', path.join(REPO, 'tsconfig.build.json'), '--outDir', dir]).catch(() => undefined);
      if (!fs.existsSync(path.join(dir, 'server', 'main.js'))) throw new Error('the build emitted no server/main.js');
      fs.writeFileSync(done, new Date().toISOString());
    } finally {
      fs.rmSync(lock, { recursive: true, force: true });
    }
  }
  return dir;
}
