/**
 * Which form text (multipart, url-encoded, query) stands for a number. ajv's coercion reads
 * anything JavaScript's `+text` reads ('0x2', '0b11', '0o3', '2.', '.2e1', 'Infinity'); the
 * live API is a Python service, whose lax parsing (pydantic-core's `str_as_int`,
 * `str_as_float`) reads decimal text only, so the coercing validators refuse the rest first.
 * @see ../shared/reference/models-2026.md §9 (multipart `n=2.5`, `n=abc`: invalid_type)
 */
import { resolvePointer } from './operations';

export type NumericType = 'integer' | 'number';

// pydantic strips the surrounding whitespace before it parses a number, so ' 2 ' is 2. An
// integer may carry a fraction of zeros ('2.0'), which pydantic drops; '2.' is not one.
const PLAIN: Record<NumericType, RegExp> = {
  integer: /^[+-]?\d+(\.0+)?$/,
  // Python's float() also reads 'inf' and 'nan': no JSON Schema number is either.
  number: /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/,
};

/** Whether `text` reads as a `type` the way the live API reads form text. */
export function isPlainNumeral(text: string, type: NumericType): boolean {
  return PLAIN[type].test(text.trim());
}

export interface LooseNumeral {
  /** ajv's instancePath of the text (`/n`, `/expires_after/seconds`). */
  readonly instancePath: string;
  readonly type: NumericType;
}

type Node = Record<string, unknown>;

const isNode = (value: unknown): value is Node => value !== null && typeof value === 'object' && !Array.isArray(value);

function deref(node: unknown, document: Node): Node | undefined {
  if (!isNode(node)) return undefined;
  const ref = node.$ref;
  return typeof ref === 'string' ? resolvePointer(document, ref.slice(ref.indexOf('#') + 1))?.node : node;
}

function branchesOf(node: Node): unknown[] {
  return [node.allOf, node.anyOf, node.oneOf].flatMap((list) => (Array.isArray(list) ? list : []));
}

/** The types a node admits, its branches' included; undefined when any type is. */
function typesOf(node: Node, document: Node): Set<string> | undefined {
  const branches = branchesOf(node);
  if (node.type === undefined && branches.length === 0) return undefined;
  const types = new Set<string>(node.type === undefined ? [] : ([] as string[]).concat(node.type as string | string[]));
  for (const branch of branches) {
    const resolved = deref(branch, document);
    const more = resolved && typesOf(resolved, document);
    if (!more) return undefined;
    for (const type of more) types.add(type);
  }
  return types;
}

/** numericOnly's answer per schema node: the schema never changes, and each request asks again. */
const numericOf = new WeakMap<Node, NumericType | null>();

/** 'integer' or 'number' where the schema takes only a number (text itself would do otherwise). */
function numericOnly(node: Node, document: Node): NumericType | undefined {
  let known = numericOf.get(node);
  if (known === undefined) {
    const types = typesOf(node, document);
    known = !types || types.has('string') ? null : types.has('number') ? 'number' : types.has('integer') ? 'integer' : null;
    numericOf.set(node, known);
  }
  return known ?? undefined;
}

function walk(data: unknown, schema: unknown, path: string, document: Node, found: Map<string, NumericType>): void {
  const node = deref(schema, document);
  if (!node) return;
  if (typeof data === 'string') {
    const type = numericOnly(node, document);
    if (type && !isPlainNumeral(data, type)) found.set(path, type);
    return;
  }
  for (const branch of branchesOf(node)) walk(data, branch, path, document, found);
  if (isNode(data) && isNode(node.properties)) {
    const properties = node.properties;
    for (const [key, value] of Object.entries(data)) walk(value, properties[key], `${path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`, document, found);
  }
  if (Array.isArray(data) && node.items !== undefined) data.forEach((item, index) => walk(item, node.items, `${path}/${index}`, document, found));
}

/** Text in `data` where `schema` (a node or `$ref` of `document`) wants a number, that does not read as one. */
export function looseNumerals(data: unknown, schema: unknown, document: Node): LooseNumeral[] {
  const found = new Map<string, NumericType>();
  walk(data, schema, '', document, found);
  return [...found].map(([instancePath, type]) => ({ instancePath, type }));
}
