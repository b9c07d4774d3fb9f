/**
 * The ceiling: bare express + multer (memory storage, as the sandbox reads uploads) that
 * parses the same multipart request and answers with the sandbox's own response bytes from
 * memory. No validation, no image work: what our stack costs before the sandbox does anything.
 * Usage: node ceiling-server.js <port> <response-file>
 */
import fs from 'node:fs';
import express from 'express';
import multer from 'multer';

const [portArg, responseFile] = process.argv.slice(2);
const responseBytes = fs.readFileSync(responseFile!);
const app = express();
app.disable('x-powered-by');
app.disable('etag');
app.get('/__sandbox/health', (_req, res) => {
  res.json({ status: 'ok' });
});
app.post('/v1/images/edits', multer({ storage: multer.memoryStorage() }).any(), (_req, res) => {
  res.status(200).set('content-type', 'application/json; charset=utf-8').send(responseBytes);
});
const server = app.listen(Number(portArg), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
