import { spawnSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

describe('server/contract/openapi-types.gen.ts', () => {
  it('is what `npm run gen:types` generates from openapi.yaml today', () => {
    const run = spawnSync(
      process.execPath,
      [path.join(ROOT, 'node_modules/openapi-typescript/bin/cli.js'), 'openapi.yaml', '-o', 'server/contract/openapi-types.gen.ts', '--default-non-nullable', 'false', '--check'],
      { cwd: ROOT, encoding: 'utf8' },
    );
    if (run.status !== 0) throw new Error(`generated types are stale: run \`npm run gen:types\`\n${run.stdout}${run.stderr}`);
    expect(run.status).toBe(0);
  });
});
