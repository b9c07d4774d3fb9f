/**
 * Requests Node's HTTP parser refuses before Express sees them (a header block over the
 * limit, a client too slow to send its request, bytes that are not HTTP) still get the
 * OpenAI envelope and an `x-request-id`, instead of Node's bare status line.
 */
import type { Duplex } from 'node:stream';
import { newRequestId } from '../http/request-id';
import { errors } from './catalogue';

const REASONS: Readonly<Record<number, string>> = { 400: 'Bad Request', 408: 'Request Timeout', 431: 'Request Header Fields Too Large' };

function errorFor(code: string | undefined) {
  if (code === 'HPE_HEADER_OVERFLOW') return errors.headersTooLarge();
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return errors.requestTimeout();
  return errors.malformedHttp();
}

/** The server's 'clientError' listener. */
export function answerClientError(err: Error & { code?: string }, socket: Duplex): void {
  // A reset connection or one whose answer already started cannot take another response.
  const started = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent === true;
  if (err.code === 'ECONNRESET' || !socket.writable || started) {
    socket.destroy();
    return;
  }
  const error = errorFor(err.code);
  const body = JSON.stringify(error.toBody());
  socket.end(
    `HTTP/1.1 ${error.status} ${REASONS[error.status] ?? 'Bad Request'}\r\n` +
      `Content-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      `x-request-id: ${newRequestId()}\r\n` +
      `Connection: close\r\n\r\n${body}`,
  );
}
