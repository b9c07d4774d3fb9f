/**
 * cachedDirectory builds once per key, publishes only complete builds, and lets two callers
 * racing for the same key end with one directory between them.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cachedDirectory } from './cached-directory';

describe('cachedDirectory', () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'cached-directory-'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const writeMarker = (text: string) => async (dir: string) => {
    await new Promise((resolve) => setTimeout(resolve, 20));
    fs.writeFileSync(path.join(dir, 'marker'), text);
  };

  it('builds on first use and reuses the directory after that', async () => {
    let builds = 0;
    const build = async (dir: string) => {
      builds++;
      await writeMarker('one')(dir);
    };
    const first = await cachedDirectory('thing', 'v1', build, root);
    const second = await cachedDirectory('thing', 'v1', build, root);
    expect(second).toBe(first);
    expect(builds).toBe(1);
    expect(fs.readFileSync(path.join(first, 'marker'), 'utf8')).toBe('one');
  });

  it('makes a new directory when the key changes', async () => {
    const v1 = await cachedDirectory('thing', 'openai==1', writeMarker('1'), root);
    const v2 = await cachedDirectory('thing', 'openai==2', writeMarker('2'), root);
    expect(v2).not.toBe(v1);
    expect(fs.readFileSync(path.join(v2, 'marker'), 'utf8')).toBe('2');
  });

  it('gives two racing callers the same complete directory and leaves no staging behind', async () => {
    const [a, b] = await Promise.all([cachedDirectory('thing', 'v1', writeMarker('a'), root), cachedDirectory('thing', 'v1', writeMarker('b'), root)]);
    expect(a).toBe(b);
    expect(['a', 'b']).toContain(fs.readFileSync(path.join(a, 'marker'), 'utf8'));
    expect(fs.readdirSync(root)).toEqual([path.basename(a)]);
  });

  it('publishes nothing when the build fails, and builds again next time', async () => {
    await expect(
      cachedDirectory('thing', 'v1', async () => {
        throw new Error('pip failed');
      }, root),
    ).rejects.toThrow('pip failed');
    expect(fs.readdirSync(root)).toEqual([]);
    const dir = await cachedDirectory('thing', 'v1', writeMarker('ok'), root);
    expect(fs.readFileSync(path.join(dir, 'marker'), 'utf8')).toBe('ok');
  });

  it('removes a staging directory abandoned more than an hour ago, and keeps a recent one', async () => {
    const abandoned = path.join(root, '.staging-thing-old');
    const inProgress = path.join(root, '.staging-thing-new');
    fs.mkdirSync(abandoned);
    fs.mkdirSync(inProgress);
    const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    fs.utimesSync(abandoned, twoHoursAgo, twoHoursAgo);
    await cachedDirectory('thing', 'v1', writeMarker('x'), root);
    expect(fs.existsSync(abandoned)).toBe(false);
    expect(fs.existsSync(inProgress)).toBe(true);
  });
});
