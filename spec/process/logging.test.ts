/** One log line per request (method, path, status, ms, request id); SANDBOX_LOG_LEVEL=silent writes nothing. */
import net from 'node:net';
import { builtServer } from './build-dist';
import { listeningUrl, runSandbox } from './sandbox-process';
import { freePort } from '../helpers/free-port';

jest.setTimeout(120_000);

let buildDir: string;
beforeAll(async () => {
  buildDir = await builtServer();
});


const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the request log', () => {
  it('writes one line per request with method, path, status, ms and request id', async () => {
    const run = runSandbox(buildDir, ['--port', '0'], { SANDBOX_LOG_LEVEL: 'info' });
    try {
      const url = await listeningUrl(run);
      const health = await fetch(`${url}/__sandbox/health`);
      const missing = await fetch(`${url}/v1/nothing-here`);
      await sleep(100);
      const lines = run.stdout().trim().split('\n').slice(1);
      expect(lines).toEqual([
        expect.stringMatching(new RegExp(`^GET /__sandbox/health 200 \\d+\\.\\d+ms ${health.headers.get('x-request-id')}$`)),
        expect.stringMatching(new RegExp(`^GET /v1/nothing-here 404 \\d+\\.\\d+ms ${missing.headers.get('x-request-id')}$`)),
      ]);
    } finally {
      run.child.kill('SIGTERM');
      await run.exited;
    }
  });

  it('says no answer went out, rather than a status, when the connection closes first', async () => {
    const run = runSandbox(buildDir, ['--port', '0'], { SANDBOX_LOG_LEVEL: 'info' });
    try {
      const url = new URL(await listeningUrl(run));
      // An upload announced at 1 MB, cut off after a few bytes: the sandbox never answers it.
      await new Promise<void>((resolve, reject) => {
        const socket = net.connect(Number(url.port), url.hostname, () => {
          socket.write(`POST /v1/images/edits HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: Bearer sk-test\r\nContent-Type: multipart/form-data; boundary=x\r\nContent-Length: 1000000\r\n\r\n--x\r\n`);
          setTimeout(() => socket.destroy(), 200);
        });
        socket.on('close', () => resolve());
        socket.on('error', reject);
      });
      await sleep(200);
      const lines = run.stdout().trim().split('\n').slice(1);
      expect(lines).toEqual([expect.stringMatching(/^POST \/v1\/images\/edits - \d+\.\d+ms req_[0-9a-f]{32} \(connection closed before an answer was sent\)$/)]);
    } finally {
      run.child.kill('SIGTERM');
      await run.exited;
    }
  });

  it('is quiet with SANDBOX_LOG_LEVEL=silent, from start to exit', async () => {
    const port = await freePort();
    const run = runSandbox(buildDir, ['--port', String(port)], { SANDBOX_LOG_LEVEL: 'silent' });
    let status = 0;
    for (let attempt = 0; attempt < 100 && status === 0; attempt++) {
      status = await fetch(`http://127.0.0.1:${port}/__sandbox/health`).then(
        (r) => r.status,
        () => 0,
      );
      if (status === 0) await sleep(50);
    }
    expect(status).toBe(200);
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(run.stdout()).toBe('');
    expect(run.stderr()).toBe('');
  });
});
