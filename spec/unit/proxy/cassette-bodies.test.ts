/** cassette-bodies.ts: every body a cassette keeps comes back byte for byte, its images kept as image files. */
import { restoreBody, storeBody, type FileBody, type StoredBody } from '../../../server/proxy/cassette-bodies';
import { fixture } from '../../helpers/fixtures';

const png = fixture('scene-256.png');
const b64 = png.toString('base64');
const back = (stored: StoredBody) => restoreBody(stored.description as FileBody, (name) => stored.files.get(name)!);

describe('storeBody', () => {
  it('keeps a JSON answer whole but for its images, which become files and @file: tokens', async () => {
    const body = Buffer.from(`{\n  "created": 1,\n  "data": [{"b64_json": "${b64}"}, {"b64_json":"${b64}"}],\n  "usage": {"input_tokens": 3}\n}`);
    const stored = await storeBody('response', body, 'application/json; charset=utf-8');
    expect(stored.description).toEqual({ file: 'response-body.json', images: ['response-image-0.png'] });
    expect(stored.files.get('response-image-0.png')!.equals(png)).toBe(true);
    expect(stored.files.get('response-body.json')!.toString()).toBe('{\n  "created": 1,\n  "data": [{"b64_json": "@file:response-image-0.png"}, {"b64_json":"@file:response-image-0.png"}],\n  "usage": {"input_tokens": 3}\n}');
    expect(back(stored).equals(body)).toBe(true);
  });

  it('keeps a stream as sent, each event image a file', async () => {
    const other = fixture('mask-256.png').toString('base64');
    const body = Buffer.from(`event: image_edit.partial_image\ndata: {"type":"image_edit.partial_image","b64_json":"${other}"}\n\nevent: image_edit.completed\ndata: {"type":"image_edit.completed","b64_json":"${b64}"}\n\n`);
    const stored = await storeBody('response', body, 'text/event-stream; charset=utf-8');
    expect(stored.description).toEqual({ file: 'response-body.sse', images: ['response-image-0.png', 'response-image-1.png'] });
    expect(back(stored).equals(body)).toBe(true);
  });

  it("keeps a JSON request's data URLs as images, the rest of the URL in place", async () => {
    const body = Buffer.from(JSON.stringify({ model: 'gpt-image-2', images: [{ image_url: `data:image/png;base64,${b64}` }, { file_id: 'file-1' }], prompt: 'a rose' }));
    const stored = await storeBody('request', body, 'application/json');
    expect(stored.description).toEqual({ file: 'request-body.json', images: ['request-image-0.png'] });
    expect(stored.files.get('request-body.json')!.toString()).toContain('"image_url":"data:image/png;base64,@file:request-image-0.png"');
    expect(back(stored).equals(body)).toBe(true);
  });

  it('keeps whole a body whose images would not come back exactly (escaped slashes, non-canonical base64)', async () => {
    const escaped = Buffer.from(`{"data":[{"b64_json":"${b64.replace(/\//g, '\\/')}"}]}`);
    const stored = await storeBody('response', escaped, 'application/json');
    expect(stored.description).toEqual({ file: 'response-body.json', images: [] });
    expect(back(stored).equals(escaped)).toBe(true);
    const padded = Buffer.from(`{"data":[{"b64_json":"${b64.slice(0, 40)}\\n${b64.slice(40)}"}]}`);
    expect((await storeBody('response', padded, 'application/json')).description).toEqual({ file: 'response-body.json', images: [] });
  });

  it('keeps a multipart form part by part, in the order sent, each file with its name, type and hash', async () => {
    const form = new FormData();
    form.append('model', 'gpt-image-2');
    form.append('image[]', new Blob([png], { type: 'image/png' }), 'scene.png');
    form.append('prompt', 'a rose');
    const request = new Request('http://x.test', { method: 'POST', body: form });
    const stored = await storeBody('request', Buffer.from(await request.arrayBuffer()), request.headers.get('content-type')!);
    expect(stored.description).toEqual({
      parts: [
        { name: 'model', value: 'gpt-image-2' },
        { name: 'image[]', file: 'request-part-1.png', filename: 'scene.png', content_type: 'image/png', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
        { name: 'prompt', value: 'a rose' },
      ],
    });
    expect(stored.files.get('request-part-1.png')!.equals(png)).toBe(true);
  });

  it('keeps nothing for no body, and any other body as its bytes', async () => {
    expect(await storeBody('response', Buffer.alloc(0), 'application/json')).toEqual({ description: null, files: new Map() });
    const image = await storeBody('response', png, 'image/png');
    expect(image.description).toEqual({ file: 'response-body.png', images: [] });
    expect((await storeBody('request', Buffer.from('a=1'), 'application/x-www-form-urlencoded')).description).toEqual({ file: 'request-body.bin', images: [] });
  });
});
