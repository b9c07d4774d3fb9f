/**
 * Without a fit python3 the Python SDK tests fail with one line saying what to install
 * (a working python3 is proven by spec/clients/python-sdk.test.ts itself).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pythonWithOpenAiSdk } from './python-sdk';

describe('pythonWithOpenAiSdk without a fit python3', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'python-sdk-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('fails with one line when python3 is not there', async () => {
    const error = await pythonWithOpenAiSdk(path.join(dir, 'python3')).catch((err: Error) => err);
    expect((error as Error).message).toMatch(/^Failed to run \S+python3: the Python SDK tests build their venv with it\. Please install Python 3\.10 or newer with its venv module \(Debian\/Ubuntu: apt-get install python3 python3-venv; macOS: brew install python\)\.$/);
  });

  it('fails with one line naming the version when python3 is too old for the pinned SDK', async () => {
    const old = path.join(dir, 'python3.8');
    fs.writeFileSync(old, '#!/bin/sh\necho /usr/bin/python3.8\necho 3.8.10\n', { mode: 0o755 });
    const error = await pythonWithOpenAiSdk(old).catch((err: Error) => err);
    expect((error as Error).message).toMatch(/^Failed to use \S+python3\.8: it is Python 3\.8\.10, and the pinned openai SDK needs 3\.10 or newer\. Please install Python 3\.10 or newer/);
    expect((error as Error).message).not.toContain('\n');
  });
});
