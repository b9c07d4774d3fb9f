/**
 * multer's storage for uploads: each file's bytes are copied as they arrive into one buffer
 * sized by the request's Content-Length (capped by the upload limit), instead of keeping every
 * chunk and concatenating them at the end (multer's memory storage), which held each upload
 * twice at its peak. Pages past what the file fills are never touched, so they cost no memory;
 * a file that fills less than most of its buffer (a small mask after a large image) is copied
 * out so the rest is released. Without a Content-Length, chunks are concatenated as before.
 */
import type { Request } from 'express';
import type { StorageEngine } from 'multer';

type Callback = (error?: unknown, info?: Partial<Express.Multer.File>) => void;

export function singleCopyStorage(maxUploadBytes: number): StorageEngine {
  return {
    _handleFile(req: Request, file: Express.Multer.File, cb: Callback) {
      const declared = Number(req.headers['content-length']);
      const bound = Number.isSafeInteger(declared) && declared > 0 ? Math.min(declared, maxUploadBytes + 1) : 0;
      let buffer = bound > 0 ? Buffer.allocUnsafeSlow(bound) : null;
      const chunks: Buffer[] = [];
      let size = 0;
      file.stream.on('data', (chunk: Buffer) => {
        if (buffer && size + chunk.length <= buffer.length) chunk.copy(buffer, size);
        else {
          // More than declared (a lying Content-Length): keep what came so far as chunks.
          if (buffer) chunks.push(buffer.subarray(0, size));
          buffer = null;
          chunks.push(chunk);
        }
        size += chunk.length;
      });
      file.stream.on('error', (err: unknown) => cb(err));
      file.stream.on('end', () => {
        let bytes: Buffer;
        if (!buffer) bytes = Buffer.concat(chunks, size);
        else if (size * 8 >= buffer.length * 7) bytes = buffer.subarray(0, size);
        else bytes = Buffer.from(buffer.subarray(0, size));
        buffer = null;
        cb(null, { buffer: bytes, size });
      });
    },
    _removeFile(_req: Request, file: Express.Multer.File, cb: (error: Error | null) => void) {
      // multer drops files of a request it rejects; the bytes go with the file object.
      Reflect.deleteProperty(file, 'buffer');
      cb(null);
    },
  };
}
