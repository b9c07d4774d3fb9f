/**
 * openapi.yaml is a superset of the official operation: every field, enum value and
 * response property that the official spec (openai-openapi f85dbe2) and today's official
 * Python SDK (3.22.1) know is accepted by the sandbox's schema, and every property they
 * require in an answer the sandbox requires too. When OpenAI adds a value, update the
 * vendored file (spec/contract/official/) and this test names what to change.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { testContract } from '../helpers/expect-to-match-spec';

type Schema = Record<string, unknown>;
interface Vendored {
  readonly name: string;
  readonly document: { components: { schemas: Record<string, Schema> }; paths?: Record<string, Record<string, unknown>> };
}

const OFFICIAL_DIR = path.join(__dirname, 'official');
const load = (file: string): Vendored => ({ name: file, document: parseYaml(fs.readFileSync(path.join(OFFICIAL_DIR, file), 'utf8')) as Vendored['document'] });
const VENDORED = [load('openai-openapi-f85dbe2.yaml'), load('openai-python-3.22.1-types.yaml')];

/** How a schema is used: multipart carries no null; answers must carry what the official requires. */
type Kind = 'multipart' | 'json' | 'answer';

/** Official schema name -> ours, and how it is used. */
const PAIRS: ReadonlyArray<readonly [official: string, ours: string, kind: Kind]> = [
  ['CreateImageEditRequest', 'CreateImageEditRequest', 'multipart'],
  ['EditImageBodyJsonParam', 'EditImageBodyJsonParam', 'json'],
  ['ImageRefParam', 'ImageRefParam', 'json'],
  ['ImagesResponse', 'ImagesResponse', 'answer'],
  ['Image', 'Image', 'answer'],
  ['ImageGenUsage', 'ImageGenUsage', 'answer'],
  ['ImageGenInputUsageDetails', 'ImageGenInputUsageDetails', 'answer'],
  ['ImageGenOutputTokensDetails', 'ImageGenOutputTokensDetails', 'answer'],
  ['ImagesUsage', 'ImagesUsage', 'answer'],
  ['ImageEditPartialImageEvent', 'ImageEditPartialImageEvent', 'answer'],
  ['ImageEditCompletedEvent', 'ImageEditCompletedEvent', 'answer'],
  ['Error', 'Error', 'answer'],
  ['ErrorResponse', 'ErrorResponse', 'answer'],
  ['CreateFileRequest', 'CreateFileRequest', 'multipart'],
  ['FileExpirationAfter', 'FileExpirationAfter', 'multipart'],
  ['OpenAIFile', 'OpenAIFile', 'answer'],
  ['DeleteFileResponse', 'DeleteFileResponse', 'answer'],
  ['ListFilesResponse', 'ListFilesResponse', 'answer'],
];

function resolve(vendored: Vendored, schema: Schema): Schema {
  let node = schema;
  for (let hops = 0; typeof node.$ref === 'string' && hops < 10; hops++)
    node = vendored.document.components.schemas[String(node.$ref).replace('#/components/schemas/', '')]!;
  return node;
}

/** Whether the official schema lets this field be null. */
function nullable(vendored: Vendored, schema: Schema): boolean {
  const node = resolve(vendored, schema);
  if (node.nullable === true) return true;
  if (node.type === 'null' || (Array.isArray(node.type) && node.type.includes('null'))) return true;
  return Array.isArray(node.anyOf) && (node.anyOf as Schema[]).some((branch) => nullable(vendored, branch));
}

/** An official string property with no enum, format or example: only its type is compared. */
function isFreeString(vendored: Vendored, schema: Schema): boolean {
  const node = resolve(vendored, schema);
  return node.type === 'string' && !node.enum && !node.format && !node.examples;
}

/** A value our schema itself documents for a free string (its const, first enum value or example). */
function ourSample(schema: Schema): unknown {
  if (schema.const !== undefined) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  if (Array.isArray(schema.examples)) return schema.examples[0];
  return 'sample text';
}

/**
 * Values the official schema accepts, one per enum value and per type: what a client built
 * from it may send (requests) or expect to parse (answers). Null is left to `nullable`.
 */
function samples(vendored: Vendored, schema: Schema, depth = 0): unknown[] {
  const node = resolve(vendored, schema);
  if (depth > 6) return [];
  if (Array.isArray(node.anyOf) && !node.properties) return (node.anyOf as Schema[]).flatMap((branch) => samples(vendored, branch, depth + 1));
  if (Array.isArray(node.enum)) return (node.enum as unknown[]).filter((value) => value !== null);
  const type = Array.isArray(node.type) ? (node.type as string[]).find((t) => t !== 'null') : node.type;
  switch (type) {
    case 'string':
      if (node.format === 'binary') return ['<file>'];
      if (node.format === 'uri') return ['https://example.com/image.png'];
      return Array.isArray(node.examples) ? (node.examples as unknown[]) : ['sample text'];
    case 'integer':
      return [typeof node.minimum === 'number' ? node.minimum : 1];
    case 'boolean':
      return [true, false];
    case 'array':
      return [samples(vendored, node.items as Schema, depth + 1).slice(0, 1)];
    case 'object':
    case undefined:
      if (!node.properties) return [];
      return [fullObject(vendored, node, depth + 1)];
    default:
      return [];
  }
}

/** An object with every property the official schema names, each at its first sample. */
function fullObject(vendored: Vendored, schema: Schema, depth = 0): Record<string, unknown> {
  const node = resolve(vendored, schema);
  const object: Record<string, unknown> = {};
  for (const [name, property] of Object.entries((node.properties ?? {}) as Record<string, Schema>)) {
    const [first] = samples(vendored, property, depth);
    if (first !== undefined) object[name] = first;
  }
  // ImageRefParam: exactly one of image_url / file_id.
  if ('image_url' in object && 'file_id' in object) delete object.file_id;
  return object;
}

const ourSchema = (name: string): Schema => {
  const schemas = (testContract().document.components as { schemas: Record<string, Schema> }).schemas;
  const schema = schemas[name];
  if (!schema) throw new Error(`openapi.yaml has no #/components/schemas/${name}`);
  return schema;
};

const cases = VENDORED.flatMap((vendored) =>
  PAIRS.filter(([official]) => vendored.document.components.schemas[official]).map(([official, ours, kind]) => ({
    source: vendored.name,
    vendored,
    official,
    ours,
    kind,
    schema: vendored.document.components.schemas[official]!,
  })),
);

describe('openapi.yaml accepts everything the official schemas know', () => {
  it.each(cases)('$ours has every property of the official $official ($source)', ({ schema, ours, vendored }) => {
    const official = Object.keys((resolve(vendored, schema).properties ?? {}) as Schema).sort();
    const mine = Object.keys((ourSchema(ours).properties ?? {}) as Schema);
    expect(official.filter((name) => !mine.includes(name))).toEqual([]);
  });

  it.each(cases)('$ours accepts every official value of every property of $official ($source)', ({ vendored, schema, ours, kind }) => {
    const rejected: string[] = [];
    for (const [name, property] of Object.entries((resolve(vendored, schema).properties ?? {}) as Record<string, Schema>)) {
      const validate = testContract().validator(`/components/schemas/${ours}/properties/${name}`);
      const mine = (ourSchema(ours).properties as Record<string, Schema> | undefined)?.[name] ?? {};
      const values = isFreeString(vendored, property) ? [ourSample(mine)] : samples(vendored, property);
      // Multipart has no null: a field is sent or not. JSON bodies and answers may carry null.
      if (kind !== 'multipart' && nullable(vendored, property)) values.push(null);
      for (const value of values) if (!validate(value)) rejected.push(`${name}=${JSON.stringify(value)}`);
    }
    expect(rejected).toEqual([]);
  });

  it.each(cases)('$ours accepts an official $official with every property set ($source)', ({ vendored, schema, ours }) => {
    const validate = testContract().validator(`/components/schemas/${ours}`);
    const object = fullObject(vendored, schema);
    const mine = (ourSchema(ours).properties ?? {}) as Record<string, Schema>;
    for (const [name, property] of Object.entries((resolve(vendored, schema).properties ?? {}) as Record<string, Schema>))
      if (isFreeString(vendored, property) && mine[name] && name in object) object[name] = ourSample(mine[name]!);
    if (ours === 'ImageEditPartialImageEvent' || ours === 'ImageEditCompletedEvent') object.size = '1024x1024';
    const ok = validate(object);
    expect(ok ? [] : validate.errors).toEqual([]);
  });

  it.each(cases.filter((c) => c.kind === 'answer'))('$ours requires every property the official $official requires ($source)', ({ vendored, schema, ours }) => {
    const required = (resolve(vendored, schema).required ?? []) as string[];
    const mine = (ourSchema(ours).required ?? []) as string[];
    expect(required.filter((name) => !mine.includes(name))).toEqual([]);
  });

  it.each(cases.filter((c) => c.kind !== 'answer'))('$ours requires nothing the official $official does not ($source)', ({ vendored, schema, ours }) => {
    const required = (resolve(vendored, schema).required ?? []) as string[];
    const mine = (ourSchema(ours).required ?? []) as string[];
    expect(mine.filter((name) => !required.includes(name))).toEqual([]);
  });
});

describe('openapi.yaml serves every official operation it emulates, under /v1', () => {
  const official = VENDORED[0]!.document.paths!;
  const ours = testContract().document.paths as Record<string, Record<string, { requestBody?: { content?: Schema } }>>;
  const EMULATED = ['/images/edits', '/files', '/files/{file_id}', '/files/{file_id}/content'];
  const operations = Object.entries(official)
    .filter(([route]) => EMULATED.includes(route))
    .flatMap(([route, methods]) => Object.keys(methods).map((method) => [route, method] as const));

  it.each(operations)('%s %s', (route, method) => {
    const mine = ours[`/v1${route}`]?.[method];
    expect(mine).toBeDefined();
    const officialContent = Object.keys(((official[route]![method] as { requestBody?: { content?: Schema } }).requestBody?.content ?? {}) as Schema);
    expect(Object.keys(mine?.requestBody?.content ?? {})).toEqual(expect.arrayContaining(officialContent));
  });
});
