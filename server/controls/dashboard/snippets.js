// A recorded request as something to run again: a curl command (POSIX shell) and a Node SDK
// script. Both fetch the uploads the journal kept, so they send the same bytes; with the same
// namespace (so the same seed) the sandbox answers the same. The API key was never recorded:
// both read it from OPENAI_API_KEY.

/** One shell word, single-quoted: nothing inside is expanded. */
export function shellQuote(text) {
  return `'${String(text).replace(/'/g, `'\\''`)}'`;
}

/** Request headers that change the answer, sent again as they were. */
const REPLAYED_HEADERS = ['x-sandbox-scenario', 'x-sandbox-latency-ms', 'openai-organization', 'openai-project'];

/** The uploads in the order they were sent: images, then the mask. */
function uploadsOf(entry) {
  const files = entry.files.map((file, i) => ({ file, local: `file-${i}` }));
  if (entry.mask) files.push({ file: entry.mask, local: 'mask' });
  return files;
}

/** Text fields as name/value pairs (a repeated field is one pair per value). */
function fieldPairs(entry) {
  const pairs = [];
  for (const [name, value] of Object.entries(entry.fields)) {
    for (const one of Array.isArray(value) ? value : [value]) pairs.push([name, typeof one === 'string' ? one : JSON.stringify(one)]);
  }
  return pairs;
}

function bodyKind(entry) {
  const type = String(entry.headers['content-type'] || '').toLowerCase();
  if (type.startsWith('application/json')) return 'json';
  if (type.startsWith('application/x-www-form-urlencoded')) return 'urlencoded';
  return 'multipart';
}

/** curl's `-F name=@file;filename="…";type=…` metadata, with its own quoting. */
function curlFileMeta(file) {
  const filename = `filename="${file.filename.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
  // curl cannot quote a type; an unusual one is left for curl to guess, and said so.
  return /^[\w.+-]+\/[\w.+-]+$/.test(file.content_type) ? `;${filename};type=${file.content_type}` : `;${filename}`;
}

/**
 * The curl command. `origin` is the sandbox's; `signedIn` adds the admin token (read from
 * SANDBOX_ADMIN_TOKEN) to the downloads of the kept uploads.
 */
export function curlCommand(entry, { origin, signedIn }) {
  const steps = [];
  const notes = [];
  const uploads = uploadsOf(entry);
  const kept = uploads.filter((u) => u.file.url);
  if (kept.length < uploads.length) notes.push(`# ${uploads.length - kept.length} upload(s) no longer kept by the journal (SANDBOX_JOURNAL_BYTES): put your own in "$dir"`);
  for (const u of uploads) if (!/^[\w.+-]+\/[\w.+-]+$/.test(u.file.content_type)) notes.push(`# ${u.local} was sent as ${JSON.stringify(u.file.content_type)}, which curl cannot repeat`);
  if (uploads.length) steps.push('dir=$(mktemp -d)');
  const auth = signedIn ? ' -H "Authorization: Bearer $SANDBOX_ADMIN_TOKEN"' : '';
  for (const u of kept) steps.push(`curl -sSf${auth} -o "$dir/${u.local}" ${shellQuote(origin + u.file.url)}`);

  const args = [`curl -sS ${shellQuote(origin + entry.path)}`, '-H "Authorization: Bearer $OPENAI_API_KEY"'];
  if (entry.namespace !== 'default') args.push(`-H ${shellQuote(`x-sandbox-namespace: ${entry.namespace}`)}`);
  for (const name of REPLAYED_HEADERS) if (typeof entry.headers[name] === 'string') args.push(`-H ${shellQuote(`${name}: ${entry.headers[name]}`)}`);
  const kind = bodyKind(entry);
  if (kind === 'json') args.push(`-H 'content-type: application/json'`, `--data-binary ${shellQuote(JSON.stringify(entry.fields))}`);
  else if (kind === 'urlencoded') for (const [name, value] of fieldPairs(entry)) args.push(`--data-urlencode ${shellQuote(`${name}=${value}`)}`);
  else {
    for (const [name, value] of fieldPairs(entry)) args.push(`--form-string ${shellQuote(`${name}=${value}`)}`);
    // Three shell words run together: the quoted field name, the file in "$dir", the quoted metadata.
    for (const u of uploads) args.push(`-F ${shellQuote(`${u.file.field}=@`)}"$dir/${u.local}"${shellQuote(curlFileMeta(u.file))}`);
  }
  steps.push(args.join(' \\\n  '));
  return [...notes, steps.join(' &&\n')].join('\n');
}

const NUMBER_FIELDS = new Set(['n', 'partial_images', 'output_compression']);

/** A field's value as the SDK takes it (numbers and booleans, not their text). */
function sdkValue(name, value) {
  if (NUMBER_FIELDS.has(name) && /^\d+$/.test(value)) return Number(value);
  if (name === 'stream' && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}

/** A Node script (ES module) doing the same request with the official `openai` SDK. */
export function sdkSnippet(entry, { origin, signedIn }) {
  const js = (value) => JSON.stringify(value);
  const headers = {};
  if (entry.namespace !== 'default') headers['x-sandbox-namespace'] = entry.namespace;
  for (const name of REPLAYED_HEADERS) if (typeof entry.headers[name] === 'string') headers[name] = entry.headers[name];
  const uploads = uploadsOf(entry);
  const upload = (u) => (u.file.url ? `await kept(${js(u.file.url)}, ${js(u.file.filename)}, ${js(u.file.content_type)})` : `/* ${u.local}: no longer kept, supply your own */ null`);
  const images = uploads.filter((u) => u.local !== 'mask');
  const params = [];
  if (images.length === 1 && images[0].file.field === 'image') params.push(`  image: ${upload(images[0])},`);
  else if (images.length) params.push(`  image: [\n${images.map((u) => `    ${upload(u)},`).join('\n')}\n  ],`);
  const mask = uploads.find((u) => u.local === 'mask');
  if (mask) params.push(`  mask: ${upload(mask)},`);
  for (const [name, value] of Object.entries(entry.fields)) params.push(`  ${/^[A-Za-z_$][\w$]*$/.test(name) ? name : js(name)}: ${js(typeof value === 'string' ? sdkValue(name, value) : value)},`);
  const authHeader = signedIn ? '{ headers: { authorization: `Bearer ${process.env.SANDBOX_ADMIN_TOKEN}` } }' : '{}';
  return [
    `// ${entry.id} again, with the official Node SDK (npm i openai): node edit.mjs`,
    "import OpenAI, { toFile } from 'openai';",
    '',
    `const sandbox = ${js(origin)};`,
    'const client = new OpenAI({',
    '  apiKey: process.env.OPENAI_API_KEY,',
    '  baseURL: `${sandbox}/v1`,',
    '  maxRetries: 0,',
    Object.keys(headers).length ? `  defaultHeaders: ${js(headers)},` : null,
    '});',
    '/** An upload the journal kept, by its url. */',
    'async function kept(path, name, type) {',
    `  const res = await fetch(sandbox + path, ${authHeader});`,
    '  if (!res.ok) throw new Error(`${path}: ${res.status}`);',
    '  return toFile(Buffer.from(await res.arrayBuffer()), name, { type });',
    '}',
    '',
    'const result = await client.images.edit({',
    ...params,
    '});',
    entry.stream ? 'for await (const event of result) console.log(JSON.stringify(event));' : 'console.log(JSON.stringify(result));',
  ]
    .filter((line) => line !== null)
    .join('\n');
}
