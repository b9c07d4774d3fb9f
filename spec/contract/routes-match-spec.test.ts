/**
 * Every path+method in openapi.yaml is routed by the app, and every route of the app is in
 * openapi.yaml: the contract and the server cannot drift apart.
 */
import { testContract } from '../helpers/expect-to-match-spec';
import { testApp } from '../helpers/test-sandbox';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

/** "METHOD /path/{param}" for every route of an Express 5 app, nested routers included. */
function appRoutes(stack: readonly Layer[]): string[] {
  const routes: string[] = [];
  for (const layer of stack) {
    if (layer.route) {
      const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
      for (const p of paths)
        for (const method of Object.keys(layer.route.methods).filter((m) => layer.route!.methods[m] && m !== '_all'))
          routes.push(`${method.toUpperCase()} ${p.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`);
    } else if (layer.handle?.stack) routes.push(...appRoutes(layer.handle.stack));
  }
  return routes;
}

function specRoutes(): string[] {
  const paths = testContract().document.paths as Record<string, Record<string, unknown>>;
  return Object.entries(paths).flatMap(([p, item]) => METHODS.filter((m) => item[m] !== undefined).map((m) => `${m.toUpperCase()} ${p}`));
}

describe('routes and openapi.yaml', () => {
  const { app } = testApp();
  const routed = new Set(appRoutes((app as unknown as { router: { stack: Layer[] } }).router.stack));
  const documented = new Set(specRoutes());

  it('routes every documented operation', () => {
    expect([...documented].filter((r) => !routed.has(r))).toEqual([]);
  });

  it('documents every routed operation', () => {
    expect([...routed].filter((r) => !documented.has(r))).toEqual([]);
  });

  it('finds the edits endpoint in both', () => {
    expect(routed.has('POST /v1/images/edits')).toBe(true);
    expect(documented.has('POST /v1/images/edits')).toBe(true);
  });
});
