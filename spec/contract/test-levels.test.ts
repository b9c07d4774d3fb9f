/**
 * The shape of spec/: every folder holding tests belongs to exactly one level (a jest project
 * of jest.config.js) with an `npm run test:<level>` script, `npm test` runs every level, and
 * the unit tests mirror server/ file for file.
 */
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
const SPEC = path.join(ROOT, 'spec');

interface Project {
  readonly displayName: string;
  readonly testMatch: readonly string[];
}

/** jest.config.js's projects as CI sees them: every level, the redis one included (it is left out only where no Redis can be had). */
function allProjects(): Project[] {
  const before = process.env.SANDBOX_TEST_REDIS;
  process.env.SANDBOX_TEST_REDIS = 'required';
  try {
    return (require(path.join(ROOT, 'jest.config.js')) as { projects: Project[] }).projects;
  } finally {
    if (before === undefined) delete process.env.SANDBOX_TEST_REDIS;
    else process.env.SANDBOX_TEST_REDIS = before;
  }
}
const projects = allProjects();
const scripts = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

/** Every *.test.ts under a folder, as paths relative to it. */
function testFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isDirectory()) return testFiles(path.join(dir, entry.name)).map((file) => path.join(entry.name, file));
    return entry.name.endsWith('.test.ts') ? [entry.name] : [];
  });
}

/** The spec/ folders a project's testMatch names. */
function foldersOf(project: Project): string[] {
  return project.testMatch.map((pattern) => {
    const folder = /^<rootDir>\/spec\/([^/*]+)\/\*\*\/\*\.test\.ts$/.exec(pattern)?.[1];
    if (!folder) throw new Error(`${project.displayName}: testMatch ${pattern} is not <rootDir>/spec/<folder>/**/*.test.ts`);
    return folder;
  });
}

describe('the levels of spec/', () => {
  it('puts every folder that holds tests in exactly one level', () => {
    const testFolders = [...new Set(testFiles(SPEC).map((file) => file.split(path.sep)[0]!))].sort();
    const levelsOf = (folder: string) => projects.filter((project) => foldersOf(project).includes(folder)).map((project) => project.displayName);
    expect(testFolders.map((folder) => [folder, levelsOf(folder)]).filter(([, levels]) => levels!.length !== 1)).toEqual([]);
  });

  it('names no folder that is missing', () => {
    const missing = projects.flatMap(foldersOf).filter((folder) => !fs.existsSync(path.join(SPEC, folder)));
    expect(missing).toEqual([]);
  });

  // The trailing `--` ends --selectProjects's list, so `npm run test:unit -- spec/unit/edits` narrows the level;
  // a level may set environment variables first (test:redis makes its suite mandatory).
  it('gives every level an npm script that runs it alone', () => {
    for (const { displayName } of projects)
      expect([displayName, scripts[`test:${displayName}`]]).toEqual([displayName, expect.stringMatching(new RegExp(`^([A-Z_]+=\\S+ )*jest --selectProjects ${displayName} --$`))]);
  });

  it('runs the typecheck and every level in npm test', () => {
    expect(scripts.test).toBe('tsc -p tsconfig.json --noEmit && jest');
  });
});

describe('spec/unit', () => {
  it('mirrors server/: each unit test is named after the module it tests', () => {
    const orphans = testFiles(path.join(SPEC, 'unit'))
      .map((file) => file.replace(/\.test\.ts$/, '.ts'))
      .filter((module) => !fs.existsSync(path.join(ROOT, 'server', module)));
    expect(orphans).toEqual([]);
  });
});
