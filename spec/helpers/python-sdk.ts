/**
 * A Python interpreter with the official `openai` SDK and Pillow, for the Python client tests:
 * a venv built from spec/clients/python/requirements.txt with the machine's python3, once,
 * under node_modules/.cache. The key is the requirements and the interpreter, so a version
 * bump or another python3 makes a new venv. The machine needs python3 (3.10 or newer, with
 * its venv module) and nothing else; pip reaches PyPI, or whatever index pip is set up with.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { cachedDirectory } from './cached-directory';

const run = promisify(execFile);

export const PYTHON_REQUIREMENTS = path.resolve(__dirname, '..', 'clients', 'python', 'requirements.txt');

/** openai 3.x and Pillow 12 both require Python 3.10. */
const MIN_PYTHON: readonly [number, number] = [3, 10];
const INSTALL_PYTHON = `Please install Python ${MIN_PYTHON.join('.')} or newer with its venv module (Debian/Ubuntu: apt-get install python3 python3-venv; macOS: brew install python).`;

/** Enough time for pip to fetch and install openai, pydantic and Pillow on a slow machine. */
export const PYTHON_SDK_SETUP_TIMEOUT_MS = 300_000;

/** The venv's python, built on first use. Throws one line saying what to install when python3 is missing or unfit. */
export async function pythonWithOpenAiSdk(python3 = 'python3'): Promise<string> {
  const base = await inspectPython(python3);
  const requirements = fs.readFileSync(PYTHON_REQUIREMENTS, 'utf8');
  const dir = await cachedDirectory('python-openai', [requirements, base.executable, base.version].join('\n'), async (staging) => {
    await step(`create a venv with \`${python3} -m venv\``, base.executable, ['-m', 'venv', staging], INSTALL_PYTHON);
    await step(
      `install ${path.relative(process.cwd(), PYTHON_REQUIREMENTS)} with pip`,
      venvPython(staging),
      ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--no-input', '-r', PYTHON_REQUIREMENTS],
      'Please check that pip can reach its package index (PyPI, or the index in your pip configuration).',
      // pip retries an unreachable index 5 times with back-off, per package: on a machine whose
      // pip is set up with a local index beside an unreachable PyPI that adds minutes. One retry
      // still rides out a network hiccup; PIP_RETRIES in the environment wins.
      { ...process.env, PIP_RETRIES: process.env.PIP_RETRIES ?? '1' },
    );
  });
  return venvPython(dir);
}

/** The environment for running Python clients: nothing that points an SDK elsewhere. */
export function pythonClientEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!/^OPENAI_/.test(key)) env[key] = value;
  return { ...env, ...extra };
}

function venvPython(dir: string): string {
  return process.platform === 'win32' ? path.join(dir, 'Scripts', 'python.exe') : path.join(dir, 'bin', 'python');
}

async function inspectPython(python3: string): Promise<{ executable: string; version: string }> {
  let stdout: string;
  try {
    ({ stdout } = await run(python3, ['-c', 'import sys; print(sys.executable); print("%d.%d.%d" % sys.version_info[:3])'], { timeout: 30_000 }));
  } catch {
    throw new Error(`Failed to run ${python3}: the Python SDK tests build their venv with it. ${INSTALL_PYTHON}`);
  }
  const [executable = '', version = ''] = stdout.trim().split('\n');
  const [major = 0, minor = 0] = version.split('.').map(Number);
  if (major < MIN_PYTHON[0] || (major === MIN_PYTHON[0] && minor < MIN_PYTHON[1]))
    throw new Error(`Failed to use ${python3}: it is Python ${version}, and the pinned openai SDK needs ${MIN_PYTHON.join('.')} or newer. ${INSTALL_PYTHON}`);
  return { executable, version };
}

/** Runs one setup command; a failure becomes one line: what failed, the program's last words, what to do. */
async function step(what: string, program: string, args: readonly string[], advice: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  try {
    await run(program, args, { env, timeout: PYTHON_SDK_SETUP_TIMEOUT_MS - 10_000, maxBuffer: 16 * 1024 * 1024 });
  } catch (err) {
    const { stderr, stdout, message } = err as { stderr?: string; stdout?: string; message: string };
    const lastLine = (stderr || stdout || message).trim().split('\n').filter(Boolean).at(-1) ?? '';
    throw new Error(`Failed to ${what}: ${lastLine.trim()} ${advice}`);
  }
}
