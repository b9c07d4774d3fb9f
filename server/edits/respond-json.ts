/**
 * EditPlan + images + usage -> the ImagesResponse body. GPT image models echo the resolved
 * background/output_format/quality/size and carry usage; dall-e-2 answers created + data.
 * Field order follows the seed page's example. @see openapi.yaml#/components/schemas/ImagesResponse
 */
import type { components } from '../contract/openapi-types.gen';
import type { Usage } from './account';
import type { EditPlan } from './types';

export type ImagesResponse = components['schemas']['ImagesResponse'];

/** The absolute url of image `index`, already stored (for response_format=url). */
export type PublishUrl = (bytes: Buffer, index: number) => string;

export function buildImagesResponse(
  plan: EditPlan,
  images: readonly Buffer[],
  usage: Usage | undefined,
  created: number,
  publishUrl: PublishUrl,
): ImagesResponse {
  const data = images.map((bytes, index) => (plan.responseFormat === 'url' ? { url: publishUrl(bytes, index) } : { b64_json: bytes.toString('base64') }));
  // dall-e-2 (quality `standard`) answers created + data only.
  if (!plan.reportsUsage || plan.quality === 'standard') return { created, data };
  const body: ImagesResponse = {
    created,
    background: plan.background,
    output_format: plan.outputFormat,
    quality: plan.quality,
    size: plan.size,
    data,
  };
  if (usage) body.usage = usage;
  return body;
}
