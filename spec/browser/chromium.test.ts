/**
 * Finding Chromium for the browser tests: CHROMIUM_PATH wins, a system candidate must answer
 * `--version`, and with neither the build inside @sparticuz/chromium is unpacked and launched
 * (here on every machine, so the fallback is proven even where a system Chromium exists).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findChromium, launchChromium } from '../helpers/chromium';

describe('findChromium', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'find-chromium-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** An executable shell script that exits with `code`. */
  function fakeBrowser(name: string, code: number): string {
    const file = path.join(dir, name);
    fs.writeFileSync(file, `#!/bin/sh\necho "Fake Chromium 1.0"\nexit ${code}\n`, { mode: 0o755 });
    return file;
  }

  it('takes CHROMIUM_PATH over any system browser', async () => {
    const override = fakeBrowser('override', 0);
    const system = fakeBrowser('system', 0);
    await expect(findChromium({ CHROMIUM_PATH: override }, [system])).resolves.toEqual({ executablePath: override, source: 'CHROMIUM_PATH' });
  });

  it('fails with one line naming CHROMIUM_PATH when it does not run', async () => {
    const error = await findChromium({ CHROMIUM_PATH: path.join(dir, 'missing') }, []).catch((err: Error) => err);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/^Failed to find Chromium: CHROMIUM_PATH=\S+missing does not run .* Please point it at a Chromium or Chrome executable, or unset it\.$/);
    expect((error as Error).message).not.toContain('\n');
  });

  it('skips a system candidate that does not answer --version (a snap stub) and takes the next', async () => {
    const stub = fakeBrowser('chromium-browser', 1);
    const chrome = fakeBrowser('google-chrome', 0);
    await expect(findChromium({}, [path.join(dir, 'absent'), stub, chrome])).resolves.toEqual({ executablePath: chrome, source: 'system' });
  });

  it('unpacks the @sparticuz/chromium build into the cache when nothing else is found, once', async () => {
    const first = await findChromium({}, []);
    expect(first.source).toBe('@sparticuz/chromium');
    expect(first.executablePath).toMatch(/node_modules\/\.cache\/image-edits-sandbox\/chromium-sparticuz-[0-9a-f]{16}\/chromium$/);
    const { mtimeMs } = fs.statSync(first.executablePath);
    const second = await findChromium({}, []);
    expect(second).toEqual(first);
    expect(fs.statSync(second.executablePath).mtimeMs).toBe(mtimeMs);
  }, 120_000);

  it('launches the bundled build headless and renders a page', async () => {
    const bundled = await findChromium({}, []);
    const browser = await launchChromium({ env: { CHROMIUM_PATH: bundled.executablePath } });
    try {
      expect(browser.chromium).toEqual({ executablePath: bundled.executablePath, source: 'CHROMIUM_PATH' });
      const userAgent = await browser.page.evaluate(() => (globalThis as unknown as { navigator: { userAgent: string } }).navigator.userAgent);
      expect(userAgent).toMatch(/HeadlessChrome\/\d+\./);
      await browser.page.setContent('<p id="hello">hello from Chromium</p>');
      expect(await browser.page.textContent('#hello')).toBe('hello from Chromium');
    } finally {
      await browser.close();
    }
  }, 120_000);
});
