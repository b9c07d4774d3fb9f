/**
 * A TCP relay in front of a Redis the tests do not own (SANDBOX_TEST_REDIS_URL): cutting it
 * is, to the sandboxes behind it, Redis going away (connections reset, new ones refused);
 * restoring it on the same port is Redis coming back.
 */
import net from 'node:net';
import { freePort } from './redis-server';

export interface TcpRelay {
  readonly url: string;
  cut(): Promise<void>;
  restore(): Promise<void>;
  /** Holds every byte in both directions (a Redis that hangs), until resume(). */
  pause(): void;
  resume(): void;
}

export async function startTcpRelay(targetUrl: string): Promise<TcpRelay> {
  const target = new URL(targetUrl);
  const port = await freePort();
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;
  let paused = false;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server = net.createServer((client) => {
        const upstream = net.connect(Number(target.port || 6379), target.hostname);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => undefined);
        }
        client.pipe(upstream).pipe(client);
        if (paused) for (const s of [client, upstream]) s.pause();
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
      });
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
  await listen();
  const auth = target.username || target.password ? `${target.username}:${target.password}@` : '';
  return {
    url: `${target.protocol}//${auth}127.0.0.1:${port}${target.pathname}`,
    cut: async () => {
      const closing = server;
      server = undefined;
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => (closing ? closing.close(() => resolve()) : resolve()));
    },
    restore: listen,
    pause: () => {
      paused = true;
      for (const s of sockets) s.pause();
    },
    resume: () => {
      paused = false;
      for (const s of sockets) s.resume();
    },
  };
}
