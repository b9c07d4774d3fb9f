/** One line per request (method, path, status, ms, request id), and unexpected errors; quiet when asked. */
import type { RequestHandler } from 'express';
import type { LogLevel } from './config';

export interface Logger {
  info(message: string): void;
  error(message: string, err?: unknown): void;
  readonly requestLogger: RequestHandler;
}

export function createLogger(level: LogLevel, write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): Logger {
  const enabled = level !== 'silent';
  return {
    info: (message) => {
      if (enabled) write(message);
    },
    error: (message, err) => {
      // Errors are written even when quiet: they are what a user needs to report a bug.
      const detail = level === 'debug' && err instanceof Error ? `\n${err.stack ?? err.message}` : err instanceof Error ? `: ${err.message}` : '';
      write(`${message}${detail}`);
    },
    requestLogger: (req, res, next) => {
      if (!enabled) return next();
      const started = performance.now();
      res.on('close', () => {
        const ms = (performance.now() - started).toFixed(1);
        const id = String(res.locals.requestId ?? '-');
        // No status went out (the client left, or the connection broke mid-body): statusCode would still read 200.
        if (!res.headersSent) return write(`${req.method} ${req.originalUrl} - ${ms}ms ${id} (connection closed before an answer was sent)`);
        write(`${req.method} ${req.originalUrl} ${res.statusCode} ${ms}ms ${id}`);
      });
      next();
    },
  };
}
