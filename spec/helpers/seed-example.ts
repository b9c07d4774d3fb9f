/**
 * The text fields of the seed page's curl example, as printed (`user=<string>` given a
 * value). The HTTP, curl and SDK tests all send this one request.
 */
export const SEED_EXAMPLE_FIELDS = {
  prompt: '在图片中添加一朵红色的玫瑰花',
  background: 'transparent',
  input_fidelity: 'high',
  model: 'gpt-image-1',
  n: 1,
  output_compression: 100,
  output_format: 'png',
  partial_images: 0,
  quality: 'auto',
  response_format: 'url',
  size: '1024x1024',
  stream: false,
  user: 'user-1234',
} as const;
