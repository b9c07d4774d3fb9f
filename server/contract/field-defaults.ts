/**
 * The `default:` of each field of a request schema, read from openapi.yaml: code fills
 * defaults from here instead of holding a copy. Model-dependent defaults (`size`,
 * `quality`, `model`) have none in the contract; the rules table holds them.
 */
import type { Contract } from './spec';

type Schema = { default?: unknown; properties?: Record<string, Schema>; anyOf?: Schema[]; $ref?: string };

const cache = new WeakMap<Contract, Map<string, Readonly<Record<string, unknown>>>>();

function defaultOf(schema: Schema): unknown {
  if (schema.default !== undefined) return schema.default;
  for (const branch of schema.anyOf ?? []) {
    const value = defaultOf(branch);
    if (value !== undefined) return value;
  }
  return undefined;
}

/** Field name -> its documented default, for the fields of `#/components/schemas/<schemaName>` that have one. */
export function fieldDefaults(contract: Contract, schemaName: string): Readonly<Record<string, unknown>> {
  let byName = cache.get(contract);
  if (!byName) cache.set(contract, (byName = new Map()));
  const known = byName.get(schemaName);
  if (known) return known;
  const schemas = (contract.document.components as { schemas: Record<string, Schema> }).schemas;
  const properties = schemas[schemaName]?.properties;
  if (!properties) throw new Error(`openapi.yaml has no properties at #/components/schemas/${schemaName}`);
  const defaults: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(properties)) {
    const value = defaultOf(property);
    if (value !== undefined) defaults[name] = value;
  }
  byName.set(schemaName, Object.freeze(defaults));
  return defaults;
}
