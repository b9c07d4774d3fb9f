/**
 * Where two shapes differ, as a reader wants it: the status and media type first, then each
 * place whose value differs. A part that only one answer has (an `error` where the other has
 * `data` and `usage`) is one line, summarised, not a line per value inside it.
 */
import type { components } from '../contract/openapi-types.gen';
import type { Shape } from './answer-shape';

/** A place (`status`, `usage.output_tokens`, `events`, `error`, …) and what each answer has there: openapi.yaml's ShapeDifference. */
export type Difference = components['schemas']['ShapeDifference'];

export const ABSENT = '(absent)';

/** `data[0].b64_json` -> `data`; `events[1].usage` -> `events[1]`. */
function topOf(place: string): string {
  return /^events\[\d+\]/.exec(place)?.[0] ?? /^[^.[]+/.exec(place)?.[0] ?? place;
}

/** A part in one line: an error by its type, code, param and message; anything else by its values. */
function summary(shape: Shape, top: string): string {
  const inside = [...shape].filter(([place]) => topOf(place) === top);
  if (top === 'error') {
    const value = (name: string) => shape.get(`error.${name}`) ?? ABSENT;
    return `${value('type')} / ${value('code')} / ${value('param')}: ${value('message')}`;
  }
  const text = inside.map(([place, value]) => (place === top ? value : `${place.slice(top.length).replace(/^\./, '')}=${value}`)).join(', ');
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}

export function compareShapes(recorded: Shape, sandbox: Shape): Difference[] {
  const found: Difference[] = [];
  const tops = [...new Set([...recorded.keys(), ...sandbox.keys()].map(topOf))];
  for (const top of tops) {
    const inRecorded = [...recorded.keys()].some((place) => topOf(place) === top);
    const inSandbox = [...sandbox.keys()].some((place) => topOf(place) === top);
    if (inRecorded !== inSandbox) {
      found.push({ at: top, recorded: inRecorded ? summary(recorded, top) : ABSENT, sandbox: inSandbox ? summary(sandbox, top) : ABSENT });
      continue;
    }
    const places = [...new Set([...recorded.keys(), ...sandbox.keys()].filter((place) => topOf(place) === top))];
    for (const place of places) {
      const was = recorded.get(place) ?? ABSENT;
      const is = sandbox.get(place) ?? ABSENT;
      if (was !== is) found.push({ at: place, recorded: was, sandbox: is });
    }
  }
  return found;
}
