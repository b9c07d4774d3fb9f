/** replay-key.ts: what makes two requests the same recorded exchange, and what does not. */
import { toParsedForm } from '../../../server/edits/parse';
import { replayKey, type KeyedRequest } from '../../../server/proxy/replay-key';

const file = (fieldname: string, bytes: string, mimetype = 'image/png', originalname = 'a.png') => ({ fieldname, originalname, mimetype, buffer: Buffer.from(bytes) }) as Express.Multer.File;
const edit = (fields: Record<string, unknown>, files = [file('image', 'pixels')], query = ''): KeyedRequest => ({ method: 'POST', path: '/v1/images/edits', query, form: toParsedForm(fields, files) });
const base = replayKey(edit({ model: 'gpt-image-2', prompt: 'a rose', n: '1' }));

describe('replayKey', () => {
  it('does not depend on the order of fields or query parameters, the filename, or the method spelling', () => {
    expect(replayKey(edit({ n: '1', prompt: 'a rose', model: 'gpt-image-2' }))).toBe(base);
    expect(replayKey(edit({ model: 'gpt-image-2', prompt: 'a rose', n: '1' }, [file('image', 'pixels', 'image/png', 'other.png')]))).toBe(base);
    expect(replayKey({ ...edit({ model: 'gpt-image-2', prompt: 'a rose', n: '1' }), method: 'post' })).toBe(base);
    const list = (query: string): KeyedRequest => ({ method: 'GET', path: '/v1/files', query, form: undefined });
    expect(replayKey(list('limit=2&order=asc'))).toBe(replayKey(list('order=asc&limit=2')));
  });

  it('changes with any field value, the model, the bytes or declared type of a file, its field name, the body form, the path or the query', () => {
    const keys = [
      replayKey(edit({ model: 'gpt-image-2', prompt: 'a rose', n: '2' })),
      replayKey(edit({ model: 'gpt-image-1', prompt: 'a rose', n: '1' })),
      replayKey(edit({ prompt: 'a rose', n: '1' })),
      replayKey(edit({ model: 'gpt-image-2', prompt: 'a rose', n: '1' }, [file('image', 'other pixels')])),
      replayKey(edit({ model: 'gpt-image-2', prompt: 'a rose', n: '1' }, [file('image', 'pixels', 'image/jpeg')])),
      replayKey(edit({ model: 'gpt-image-2', prompt: 'a rose', n: '1' }, [file('image[]', 'pixels')])),
      replayKey({ ...edit({ model: 'gpt-image-2', prompt: 'a rose', n: 1 }), form: toParsedForm({ model: 'gpt-image-2', prompt: 'a rose', n: '1' }, [file('image', 'pixels')], 'json') }),
      replayKey({ ...edit({ model: 'gpt-image-2', prompt: 'a rose', n: '1' }), path: '/v1/files' }),
      replayKey(edit({ model: 'gpt-image-2', prompt: 'a rose', n: '1' }, undefined, 'x=1')),
    ];
    expect(new Set([base, ...keys]).size).toBe(keys.length + 1);
  });
});
