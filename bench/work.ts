/**
 * The work of one bench case without the load generator: an in-process sandbox answers `count`
 * requests of the case one after another, and the CPU time they took is printed. Under
 * `valgrind --tool=callgrind` (instructions do not depend on the machine's load, wall-clock
 * does) the difference between two counts is the work of the extra requests.
 * Usage: node .bench-build/bench/work.js <case> <count>   (cases: the keys of cases() below)
 * WORK_URL (with WORK_PID, its process id) measures a sandbox running elsewhere.
 */
import fs from 'node:fs';
import { maskPng, scenePng, withTextChunk } from './images';
import { multipartBody, type FilePart } from './multipart';
import { startSandbox } from '../server/start-sandbox';

const png = (field: string, bytes: Buffer): FilePart => ({ field, filename: `${field}.png`, contentType: 'image/png', bytes });
const gpt = { model: 'gpt-image-1', quality: 'low', size: '1024x1024', output_format: 'png', prompt: 'add a red rose in a glass vase' };

type Body = (i: number) => { body: Buffer; contentType: string };

async function cases(): Promise<Record<string, Body>> {
  const [scene, mask] = await Promise.all([scenePng(1024), maskPng(1024)]);
  const files = [png('image', scene), png('mask', mask)];
  const edit = (fields: Record<string, string>, f = files) => multipartBody({ ...gpt, ...fields }, f);
  const same = edit({});
  return {
    same: () => same,
    prompt: (i) => edit({ prompt: `add a red rose in a glass vase #${i}` }),
    image: (i) => edit({}, [png('image', withTextChunk(scene, `work ${i}`)), png('mask', mask)]),
    jpeg: (i) => edit({ output_format: 'jpeg', output_compression: '80', prompt: `a red rose #${i}` }),
    webp: (i) => edit({ output_format: 'webp', output_compression: '80', prompt: `a red rose #${i}` }),
    stream: (i) => edit({ stream: 'true', partial_images: '3', prompt: `add a red rose, streamed #${i}` }),
  };
}

/** User + system CPU of another process, in clock ticks (10 ms), from /proc. */
function serverTicks(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

async function main(): Promise<void> {
  const [name = 'prompt', countArg = '10'] = process.argv.slice(2);
  const count = Number(countArg);
  const all = await cases();
  const body = all[name];
  if (!body) throw new Error(`unknown case ${name}; one of ${Object.keys(all).join(', ')}`);
  // WORK_URL: a sandbox running elsewhere (say under --cpu-prof), so that only its work is measured.
  const sandbox = process.env.WORK_URL ? undefined : await startSandbox({ logLevel: 'silent', streamIntervalMs: 0 });
  const url = process.env.WORK_URL ?? sandbox!.url;
  const send = async (i: number) => {
    const { body: bytes, contentType } = body(i);
    const res = await fetch(`${url}/v1/images/edits`, { method: 'POST', headers: { authorization: 'Bearer sk-work', 'content-type': contentType }, body: bytes });
    const text = await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${name}: ${res.status} ${Buffer.from(text).toString().slice(0, 300)}`);
    return text.byteLength;
  };
  // One warm-up request (first use of sharp, faker, the tokenizer), numbered apart from the counted ones.
  await send(1_000_000);
  const serverCpu = () => (process.env.WORK_PID ? serverTicks(Number(process.env.WORK_PID)) : 0);
  const serverBefore = serverCpu();
  const cpu = process.cpuUsage();
  const began = performance.now();
  let bytes = 0;
  for (let i = 0; i < count; i++) bytes += await send(i);
  const used = process.cpuUsage(cpu);
  const serverMs = (serverCpu() - serverBefore) * 10;
  const wall = performance.now() - began;
  const per = (us: number) => (count ? (us / 1000 / count).toFixed(2) : '-');
  console.log(`${name} x${count}: ${per(used.user + used.system)} ms CPU per request (user ${per(used.user)}, sys ${per(used.system)}), ${count ? (wall / count).toFixed(2) : '-'} ms wall, ${count ? (bytes / count / 1024).toFixed(0) : '-'} KiB per answer${process.env.WORK_PID ? `; server ${(serverMs / count).toFixed(2)} ms CPU per request` : ''}`);
  await sandbox?.close();
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exitCode = 1;
});
