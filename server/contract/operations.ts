/**
 * Where openapi.yaml documents an HTTP exchange: the operation of a concrete path and method,
 * its request body's schema per media type, and each response's schema per status and media
 * type, every `$ref` followed. The tests' spec helpers and the recording proxy both read the
 * document through here, so they judge an answer by the same pointers.
 */

/** A JSON pointer segment: `~` and `/` escaped. */
export function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

type Node = Record<string, unknown>;

/** The node at a JSON pointer of the document, with its `$ref` chain followed; undefined when there is none. */
export function resolvePointer(document: Node, pointer: string): { pointer: string; node: Node } | undefined {
  let current = pointer;
  for (let hops = 0; hops < 10; hops++) {
    let node: unknown = document;
    for (const segment of current.split('/').slice(1)) {
      if (node === null || typeof node !== 'object') return undefined;
      node = (node as Node)[segment.replace(/~1/g, '/').replace(/~0/g, '~')];
    }
    if (node === null || typeof node !== 'object') return undefined;
    const ref = (node as { $ref?: unknown }).$ref;
    if (typeof ref !== 'string') return { pointer: current, node: node as Node };
    current = ref.replace(/^#/, '');
  }
  throw new Error(`$ref loop at ${pointer} in openapi.yaml`);
}

/** One documented operation: its path template (`/v1/files/{file_id}`), method and pointer. */
export interface Operation {
  readonly path: string;
  readonly method: string;
  readonly pointer: string;
  readonly node: Node;
}

function templateMatches(template: string, path: string): boolean {
  const pattern = template.split(/\{[^}]+\}/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[^/]+');
  return new RegExp(`^${pattern}$`).test(path);
}

/** The operation that documents `method` on a concrete `path` (a literal path wins over a template). */
export function findOperation(document: Node, method: string, path: string): Operation | undefined {
  const paths = (document.paths ?? {}) as Record<string, Node>;
  const candidates = Object.keys(paths)
    .filter((template) => templateMatches(template, path))
    .sort((a, b) => Number(a.includes('{')) - Number(b.includes('{')));
  for (const template of candidates) {
    const pointer = `/paths/${escapePointer(template)}/${method.toLowerCase()}`;
    const found = resolvePointer(document, pointer);
    if (found) return { path: template, method: method.toUpperCase(), pointer: found.pointer, node: found.node };
  }
  return undefined;
}

/** `multipart/form-data; boundary=…` -> `multipart/form-data`. */
export function mediaTypeOf(contentType: string | null | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

/** The schema pointer of the operation's request body in `mediaType`, if it documents one. */
export function requestSchemaPointer(document: Node, operation: Operation, mediaType: string): string | undefined {
  const body = resolvePointer(document, `${operation.pointer}/requestBody`);
  if (!body || !(body.node.content as Node | undefined)?.[mediaType]) return undefined;
  return `${body.pointer}/content/${escapePointer(mediaType)}/schema`;
}

/** The documented response of `status` (its pointer and node), if there is one. */
export function documentedResponse(document: Node, operation: Operation, status: number): { pointer: string; node: Node } | undefined {
  return resolvePointer(document, `${operation.pointer}/responses/${status}`) ?? resolvePointer(document, `${operation.pointer}/responses/default`);
}

/** The schema pointer of a documented response's body in `mediaType`, if it documents one. */
export function responseBodyPointer(response: { pointer: string; node: Node }, mediaType: string): string | undefined {
  if (!(response.node.content as Node | undefined)?.[mediaType]) return undefined;
  return `${response.pointer}/content/${escapePointer(mediaType)}/schema`;
}
