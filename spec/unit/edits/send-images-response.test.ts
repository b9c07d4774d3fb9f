import { PassThrough } from 'node:stream';
import { ServerResponse, IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { buildImagesResponse } from '../../../server/edits/respond-json';
import { sendImagesResponse } from '../../../server/edits/send-images-response';
import { testPlan } from '../../helpers/test-plan';

const plan = (responseFormat: 'b64_json' | 'url', reportsUsage = true) => testPlan({ responseFormat, reportsUsage });
const usage = { input_tokens: 1, input_tokens_details: { image_tokens: 0, text_tokens: 1 }, output_tokens: 2, total_tokens: 3 };
const images = [Buffer.from('first image \u00e9 bytes'), Buffer.alloc(70_000, 0xab)];

/** Runs sendImagesResponse against a real ServerResponse and returns its headers and body. */
async function capture(send: (res: ServerResponse) => void): Promise<{ headers: Record<string, unknown>; body: Buffer }> {
  const res = new ServerResponse(new IncomingMessage(new Socket()));
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (c: Buffer) => chunks.push(c));
  res.assignSocket(sink as unknown as Socket);
  const done = new Promise((resolve) => res.on('finish', resolve));
  send(res);
  await done;
  const raw = Buffer.concat(chunks).toString('latin1');
  const split = raw.indexOf('\r\n\r\n');
  return { headers: res.getHeaders(), body: Buffer.from(raw.slice(split + 4), 'latin1') };
}

describe('sendImagesResponse', () => {
  it.each([
    ['b64_json with usage', plan('b64_json')],
    ['b64_json without usage (dall-e-2)', plan('b64_json', false)],
    ['url', plan('url')],
  ])('sends exactly the JSON of buildImagesResponse for %s', async (_name, p) => {
    let n = 0;
    const publish = () => `http://127.0.0.1/__sandbox/files/${n++}`;
    const { headers, body } = await capture((res) => sendImagesResponse(res, p, images, usage, 1_700_000_000, publish));
    n = 0;
    expect(JSON.parse(body.toString('utf8'))).toEqual(buildImagesResponse(p, images, usage, 1_700_000_000, publish));
    expect(headers['content-type']).toBe('application/json; charset=utf-8');
    expect(Number(headers['content-length'])).toBe(body.length);
  });

  it('writes the base64 it is given for each image, in order', async () => {
    const base64Of = jest.fn((image: Buffer) => Buffer.from(image.toString('base64'), 'latin1'));
    const { body } = await capture((res) => sendImagesResponse(res, plan('b64_json'), images, usage, 1, () => '', base64Of));
    const data = (JSON.parse(body.toString('utf8')) as { data: Array<{ b64_json: string }> }).data;
    expect(data.map((d) => Buffer.from(d.b64_json, 'base64'))).toEqual(images);
    expect(base64Of.mock.calls.map(([image]) => image)).toEqual(images);
  });
});
