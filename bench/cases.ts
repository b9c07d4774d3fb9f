/**
 * The requests the bench sends, built once from the generated inputs. Each throughput case
 * names the server it runs against and the body of its i-th request.
 */
import { maskPng, noisePng, scenePng, withTextChunk } from './images';
import { multipartBody, type FilePart, type MultipartBody } from './multipart';

export type ServerKind = 'ceiling' | 'prism' | 'sandbox';

export interface ThroughputCase {
  readonly name: string;
  readonly server: ServerKind;
  readonly contentType: string;
  readonly body: (i: number) => Buffer;
  /** Concurrent connections, when not the bench's default. */
  readonly connections?: number;
  readonly note?: string;
}

export interface BenchInputs {
  /** The reference request's image and mask (1024x1024 PNGs). */
  readonly scene: Buffer;
  readonly mask: Buffer;
  /** The reference request: 1024x1024 image + mask, gpt-image-1, png, low. */
  readonly same: MultipartBody;
  readonly throughput: readonly ThroughputCase[];
  /** stream=true, partial_images=3, a unique prompt per request. */
  readonly stream: (i: number) => MultipartBody;
  /** Eight requests, each with a distinct ~20 MB image (no mask). */
  readonly big: readonly MultipartBody[];
}

const png = (field: string, bytes: Buffer, filename = `${field}.png`): FilePart => ({ field, filename, contentType: 'image/png', bytes });

export async function buildInputs(): Promise<BenchInputs> {
  const [scene, mask, scene256, mask256, noise] = await Promise.all([scenePng(1024), maskPng(1024), scenePng(256), maskPng(256), noisePng(20 * 1024 * 1024)]);
  const gpt = { model: 'gpt-image-1', quality: 'low', size: '1024x1024', output_format: 'png' };
  const edit = (fields: Record<string, string>, files: FilePart[] = [png('image', scene), png('mask', mask)]) =>
    multipartBody({ prompt: 'add a red rose in a glass vase', ...gpt, ...fields }, files);

  const same = edit({});
  const sandboxCase = (name: string, body: (i: number) => Buffer): ThroughputCase => ({ name, server: 'sandbox', contentType: same.contentType, body });
  const fixed = (b: MultipartBody) => () => b.body;
  // dall-e-2 takes no quality/output_format of the GPT models: its own field set.
  const dalleBody = multipartBody({ prompt: 'add a red rose in a glass vase', model: 'dall-e-2', size: '256x256', response_format: 'b64_json' }, [png('image', scene256), png('mask', mask256)]);

  return {
    scene,
    mask,
    same,
    throughput: [
      { name: 'ceiling (express+multer, canned answer)', server: 'ceiling', contentType: same.contentType, body: fixed(same) },
      // Prism takes about a second per 1 MB multipart body; more connections only queue behind it.
      { name: 'peer: Prism 5.14.2 mock', server: 'prism', contentType: same.contentType, body: fixed(same), connections: 2, note: '2 connections; answers the schema example' },
      sandboxCase('sandbox, same request repeated', fixed(same)),
      sandboxCase('sandbox, unique prompt, same image', (i) => edit({ prompt: `add a red rose in a glass vase #${i}` }).body),
      sandboxCase('sandbox, unique image per request', (i) => edit({}, [png('image', withTextChunk(scene, `bench ${i}`)), png('mask', mask)]).body),
      sandboxCase('sandbox, dall-e-2 256x256 b64_json', fixed(dalleBody)),
      sandboxCase('sandbox, jpeg (unique prompt)', (i) => edit({ output_format: 'jpeg', output_compression: '80', prompt: `a red rose #${i}` }).body),
      sandboxCase('sandbox, webp (unique prompt)', (i) => edit({ output_format: 'webp', output_compression: '80', prompt: `a red rose #${i}` }).body),
      // gpt-image-2's largest size: 8.3 million output pixels per answer (the 1024² image and mask fitted to it).
      sandboxCase('sandbox, gpt-image-2 3840x2160 (unique prompt)', (i) => edit({ model: 'gpt-image-2', size: '3840x2160', prompt: `a red rose, large #${i}` }).body),
    ],
    stream: (i) => edit({ stream: 'true', partial_images: '3', prompt: `add a red rose, streamed #${i}` }),
    // No mask: a mask must match the image's size; the whole image is edited instead.
    big: Array.from({ length: 8 }, (_, i) => edit({ prompt: `a red rose on noise #${i}` }, [png('image', withTextChunk(noise, `big ${i}`))])),
  };
}
