/** answer-shape.ts and compare-shapes.ts: what the drift check sees of an answer, and how it says where two differ. */
import { shapeOf } from '../../../server/drift/answer-shape';
import { compareShapes } from '../../../server/drift/compare-shapes';
import { fixture } from '../../helpers/fixtures';

const json = (status: number, body: unknown) => ({ status, contentType: 'application/json; charset=utf-8', body: Buffer.from(JSON.stringify(body)) });
const image = (name: string) => fixture(name).toString('base64');

describe('shapeOf', () => {
  it('keeps values, but only the kind of times, ids and urls, an image by its format and size, and error texts without ids', async () => {
    const shape = await shapeOf(json(200, { created: 5, id: 'file-abc', data: [{ b64_json: image('scene-256.png') }, { url: 'http://x' }], usage: { output_tokens: 7 }, error: { message: 'include the request ID req_0123456789abcdef.' } }));
    expect([...shape]).toEqual([
      ['status', '200'],
      ['content-type', 'application/json'],
      ['created', 'number'],
      ['id', 'string'],
      ['data[0].b64_json', 'png 256x256'],
      ['data[1].url', 'string'],
      ['usage.output_tokens', '7'],
      ['error.message', '"include the request ID req_…."'],
    ]);
  });

  it('reads a stream as its sequence of events and each event by its index', async () => {
    const body = `event: image_edit.partial_image\ndata: {"type":"image_edit.partial_image","created_at":1,"partial_image_index":0}\n\nevent: image_edit.completed\ndata: {"type":"image_edit.completed","b64_json":"${image('scene-512.png')}"}\n\n`;
    const shape = await shapeOf({ status: 200, contentType: 'text/event-stream', body: Buffer.from(body) });
    expect(shape.get('events')).toBe('image_edit.partial_image, image_edit.completed');
    expect(shape.get('events[0].created_at')).toBe('number');
    expect(shape.get('events[0].partial_image_index')).toBe('0');
    expect(shape.get('events[1].b64_json')).toBe('png 512x512');
  });
});

describe('compareShapes', () => {
  it('finds nothing between two answers that differ in pixels, times and ids only', async () => {
    const a = await shapeOf(json(200, { created: 1, id: 'file-a', data: [{ b64_json: image('scene-256.png') }] }));
    const b = await shapeOf(json(200, { created: 2, id: 'file-b', data: [{ b64_json: image('scene-rgba-256.png') }] }));
    expect(compareShapes(a, b)).toEqual([]);
  });

  it('names each place that differs, and a part only one answer has in one line', async () => {
    const recorded = await shapeOf(json(400, { error: { message: 'no', type: 'invalid_request_error', param: 'n', code: 'integer_below_min_value' } }));
    const sandbox = await shapeOf(json(200, { created: 1, data: [{ b64_json: image('scene-512.png') }], usage: { output_tokens: 3 } }));
    expect(compareShapes(recorded, sandbox)).toEqual([
      { at: 'status', recorded: '400', sandbox: '200' },
      { at: 'error', recorded: '"invalid_request_error" / "integer_below_min_value" / "n": "no"', sandbox: '(absent)' },
      { at: 'created', recorded: '(absent)', sandbox: 'number' },
      { at: 'data', recorded: '(absent)', sandbox: '[0].b64_json=png 512x512' },
      { at: 'usage', recorded: '(absent)', sandbox: 'output_tokens=3' },
    ]);
    const smaller = await shapeOf(json(200, { created: 1, data: [{ b64_json: image('scene-256.png') }], usage: { output_tokens: 4 } }));
    expect(compareShapes(sandbox, smaller)).toEqual([
      { at: 'data[0].b64_json', recorded: 'png 512x512', sandbox: 'png 256x256' },
      { at: 'usage.output_tokens', recorded: '3', sandbox: '4' },
    ]);
  });
});
