/**
 * A small round-robin HTTP proxy in front of sandbox replicas, as a load balancer would sit:
 * each request goes to the next replica, bodies streamed both ways. A replica that refuses the
 * connection is skipped for that request (its body is not read until a replica accepts), so a
 * killed replica costs no request; one that fails later gets a 502 envelope.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RoundRobinProxy {
  readonly url: string;
  /** Which replica (index into the upstreams) answered each request, in order. */
  readonly served: number[];
  close(): Promise<void>;
}

export async function startRoundRobinProxy(upstreams: readonly string[]): Promise<RoundRobinProxy> {
  const targets = upstreams.map((u) => new URL(u));
  const served: number[] = [];
  let next = 0;
  const agent = new http.Agent({ keepAlive: false });

  const forward = (req: http.IncomingMessage, res: http.ServerResponse, tried: number) => {
    const index = next++ % targets.length;
    const target = targets[index]!;
    const upstream = http.request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers, agent },
      (answer) => {
        served.push(index);
        res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
        answer.pipe(res);
      },
    );
    let connected = false;
    upstream.on('socket', (socket) => {
      socket.once('connect', () => {
        connected = true;
        req.pipe(upstream);
      });
    });
    upstream.on('error', (err: NodeJS.ErrnoException) => {
      if (!connected && tried + 1 < targets.length) return forward(req, res, tried + 1);
      if (res.headersSent) return res.destroy();
      res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `proxy: no replica answered (${err.code ?? err.message})`, type: 'proxy_error', param: null, code: 'bad_gateway' } }));
    });
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
  };

  const server = http.createServer((req, res) => forward(req, res, 0));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    served,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
