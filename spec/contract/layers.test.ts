/**
 * Every arrow between server/ folders points down this order: a module imports only from
 * folders listed before its own (and from its own folder). A newcomer can read the code
 * bottom-up, and no folder needs one above it to be understood or tested.
 */
import fs from 'node:fs';
import path from 'node:path';

const SERVER = path.join(__dirname, '..', '..', 'server');

/** Lowest first. Top-level files count as a folder of their own name. */
const LAYERS = [
  'http',
  'contract',
  'errors',
  'models',
  'config',
  'guards',
  'images',
  'usage',
  'streaming',
  'scenarios',
  'stores',
  'coverage',
  'version',
  'logger',
  'edits',
  'files',
  'proxy',
  'controls',
  'app',
  'start-sandbox',
  'drift',
  'index',
  'main',
];

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** The layer of a file under server/: its first folder, or its own name at the top. */
function layerOf(file: string): string {
  const [first, ...rest] = path.relative(SERVER, file).split(path.sep);
  return rest.length === 0 ? path.basename(first!, '.ts') : first!;
}

describe('the layers of server/', () => {
  const files = sourceFiles(SERVER);

  it('names every folder and top-level file in its order', () => {
    const unknown = [...new Set(files.map(layerOf))].filter((layer) => !LAYERS.includes(layer));
    expect(unknown).toEqual([]);
  });

  it('has no import that points up or sideways', () => {
    const upward: string[] = [];
    for (const file of files) {
      const from = layerOf(file);
      const source = fs.readFileSync(file, 'utf8');
      for (const match of source.matchAll(/(?:from|import|require\()\s*'(\.{1,2}\/[^']+)'/g)) {
        const to = layerOf(path.resolve(path.dirname(file), match[1]!));
        if (to !== from && LAYERS.indexOf(to) > LAYERS.indexOf(from)) upward.push(`${path.relative(SERVER, file)} -> ${match[1]} (${from} -> ${to})`);
      }
    }
    expect(upward).toEqual([]);
  });
});
