/** The rules every backend's file objects share: ids, and the type of stored bytes. */
import { newFileId, storedContentType } from '../../../server/stores/file-objects';
import { fixture } from '../../helpers/fixtures';

describe('file objects', () => {
  it('get live-looking ids', () => {
    expect(newFileId()).toMatch(/^file-[A-Za-z0-9]{22}$/);
    expect(newFileId()).not.toBe(newFileId());
  });

  it('are typed by their magic numbers, not by the declared octet-stream', () => {
    const object = { id: 'file-x', object: 'file', bytes: 0, created_at: 0, filename: 'x', purpose: 'vision', status: 'processed' } as const;
    expect(storedContentType({ object, content: fixture('scene-256.png'), contentType: 'application/octet-stream' })).toBe('image/png');
    expect(storedContentType({ object, content: fixture('scene-512.jpg'), contentType: 'application/octet-stream' })).toBe('image/jpeg');
    expect(storedContentType({ object, content: Buffer.from('hello'), contentType: 'text/plain' })).toBe('text/plain');
    expect(storedContentType({ object, content: Buffer.from('hello'), contentType: '' })).toBe('application/octet-stream');
  });
});
