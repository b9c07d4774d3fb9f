/**
 * The SSE writer's framing, read back by the official SDK's own decoder (fed in arbitrary
 * byte chunks) and by the tests' independent reader.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { APIError } from 'openai';
import { Stream } from 'openai/core/streaming';
import { errors } from '../../../server/errors/catalogue';
import { errorEvent, formatEvent, openStream, type SseEvent, type SseStream } from '../../../server/streaming/sse';
import { readSse, SseReader } from '../../helpers/read-sse';

/** The bytes as a fetch Response delivered in the given chunk sizes. */
function chunkedResponse(bytes: Buffer, cuts: number[]): Response {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let last = 0;
  for (const p of [...points, bytes.length]) {
    if (p > last) chunks.push(bytes.subarray(last, p));
    last = Math.max(last, p);
  }
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const c of chunks) controller.enqueue(new Uint8Array(c));
      controller.close();
    },
  });
  return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
}

async function sdkRead(bytes: Buffer, cuts: number[] = []): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const item of Stream.fromSSEResponse<unknown>(chunkedResponse(bytes, cuts), new AbortController())) out.push(item);
  return out;
}

const EVENTS: SseEvent[] = [
  { event: 'image_edit.partial_image', data: { type: 'image_edit.partial_image', b64_json: 'AAEC', partial_image_index: 0, note: 'line\nbreak, ünïcødé 🌷' } },
  { event: 'image_edit.completed', data: { type: 'image_edit.completed', b64_json: 'AwQF', usage: { total_tokens: 3 } } },
];

describe('formatEvent', () => {
  it('frames an event as an event line, one data line of JSON and a blank line', () => {
    expect(formatEvent({ event: 'image_edit.completed', data: { type: 'image_edit.completed', a: 'x\ny' } })).toBe(
      'event: image_edit.completed\ndata: {"type":"image_edit.completed","a":"x\\ny"}\n\n',
    );
  });

  it('refuses an event name holding a newline, which would break the framing', () => {
    expect(() => formatEvent({ event: 'a\ndata: x', data: {} })).toThrow(/newline/);
  });

  it('is decoded by the official SDK into the same objects, however the bytes are chunked', async () => {
    const bytes = Buffer.from(EVENTS.map(formatEvent).join(''), 'utf8');
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat({ max: bytes.length }), { maxLength: 12 }), async (cuts) => {
        expect(await sdkRead(bytes, cuts)).toEqual(EVENTS.map((e) => e.data));
      }),
      { numRuns: 60 },
    );
  });

  it('is read back by the tests\' reader into the same names and data', () => {
    const text = EVENTS.map(formatEvent).join('');
    expect(readSse(text).map((m) => ({ event: m.event, data: JSON.parse(m.data) }))).toEqual(EVENTS);
  });
});

describe('the tests\' SSE reader', () => {
  it('follows the SSE rules: CRLF and CR line ends, comments, joined data lines, no dispatch without a blank line', () => {
    const reader = new SseReader();
    expect(reader.push(': comment\r\nevent: a\r\ndata: 1\r')).toEqual([]);
    expect(reader.push('\ndata:2\r\n\r\nevent: b\rdata: x\r\r')).toEqual([{ event: 'a', data: '1\n2' }]);
    // The last \r could be half of \r\n: the event waits for the next byte.
    expect(reader.push('event: c\ndata: y\n')).toEqual([{ event: 'b', data: 'x' }]);
    expect(reader.pending).toBe('');
  });
});

describe('errorEvent', () => {
  it('is the shape the official SDK raises as an APIError with the error\'s fields', async () => {
    const failure = errors.streamingNeedsOneImage();
    const bytes = Buffer.from(formatEvent(EVENTS[0]!) + formatEvent(errorEvent(failure)), 'utf8');
    const seen: unknown[] = [];
    const iterate = async () => {
      for await (const item of Stream.fromSSEResponse<unknown>(chunkedResponse(bytes, [7, 40]), new AbortController())) seen.push(item);
    };
    const error = await iterate().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(APIError);
    expect(error).toMatchObject({ message: failure.message, type: failure.type, param: failure.param, code: failure.code });
    expect(seen).toEqual([EVENTS[0]!.data]);
  });
});

describe('openStream on a real socket', () => {
  let server: http.Server;
  let opened: Promise<{ stream: SseStream; res: http.ServerResponse }>;
  let url: string;

  beforeEach(async () => {
    let resolveOpened!: (v: { stream: SseStream; res: http.ServerResponse }) => void;
    opened = new Promise((r) => (resolveOpened = r));
    server = http.createServer((_req, res) => resolveOpened({ stream: openStream(res), res }));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('sends 200 text/event-stream headers before any event, and the events as written', async () => {
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream(;|$)/);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    const { stream } = await opened;
    for (const e of EVENTS) await stream.write(e);
    stream.end();
    expect(stream.closed).toBe(true);
    expect(await response.text()).toBe(EVENTS.map(formatEvent).join(''));
  });

  it('cuts a pause short and clears its timer when the client leaves, and writes nothing after', async () => {
    const controller = new AbortController();
    const response = await fetch(url, { signal: controller.signal });
    const { stream, res } = await opened;
    const writes: unknown[] = [];
    const original = res.write.bind(res);
    res.write = ((...args: Parameters<typeof original>) => {
      writes.push(args[0]);
      return original(...args);
    }) as typeof res.write;
    const timersBefore = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const started = performance.now();
    const paused = stream.pause(60_000);
    expect(process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length).toBe(timersBefore + 1);
    controller.abort();
    await response.body?.cancel().catch(() => undefined);
    await paused;
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length).toBe(timersBefore);
    expect(stream.closed).toBe(true);
    expect(stream.signal.aborted).toBe(true);
    await stream.write(EVENTS[0]!);
    stream.end();
    expect(writes).toEqual([]);
  });
});
