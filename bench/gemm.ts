/**
 * GEMM rates of the MLP and CNN steps on `wasm` (issue 27): each layer's
 * forward product in GFLOP/s beside its weight gradient (the inner
 * dimension is the batch) and input gradient; then the cores as they are:
 * the same steps with every core kept busy by other processes, at 1 and 2
 * threads and at the default (`backend.ready()` without `threads`).
 * Each configuration is a process of its own (the thread count is fixed
 * when `wasm` starts); variants inside one are interleaved.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { fixed, table } from './harness.js';

interface ChildResult {
  threads: number;
  load: number;
  ms: Record<string, number>;
}

export interface GemmRow {
  shape: string;
  forwardGflops: number;
  weightGradientGflops: number;
  inputGradientGflops: number;
  weightToForward: number;
}

export interface ContentionRow {
  machine: string;
  threads: string;
  mlpMs: number;
  cnnMs: number;
}

const CHILD = fileURLToPath(new URL('./gemm-steps.ts', import.meta.url));

function runChild(threads: string, rounds: number): ChildResult {
  const child = spawnSync(process.execPath, ['--import', 'tsx', CHILD, threads, String(rounds)], {
    encoding: 'utf8',
    timeout: 900_000,
  });
  if (child.status !== 0) throw new Error(`bench/gemm-steps.ts failed: ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').pop() as string) as ChildResult;
}

/** Busy loops on every core, until killed. */
function spinners(): ChildProcess[] {
  return Array.from({ length: availableParallelism() }, () =>
    spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }),
  );
}

const SHAPES: [string, number, number, number][] = [
  ['MLP Dense 784->512', 128, 784, 512],
  ['MLP Dense 512->512', 128, 512, 512],
  ['MLP Dense 512->10', 128, 512, 10],
  ['CNN Conv2D 1->32 (patches)', 32 * 26 * 26, 9, 32],
  ['CNN Conv2D 32->64 (patches)', 32 * 24 * 24, 288, 64],
  ['CNN Dense 9216->10', 32, 9216, 10],
];

export async function benchGemm({ rounds = 21 } = {}): Promise<{
  rows: GemmRow[];
  contention: ContentionRow[];
  text: string;
}> {
  const loadBefore = loadavg()[0] as number;
  const quiet = runChild('auto', rounds);
  const rows = SHAPES.map(([shape, m, k, n]) => {
    const gflops = (what: string) => (2 * m * k * n) / (quiet.ms[`${shape}|${what}`] as number) / 1e6;
    const forward = gflops('forward');
    const weight = gflops('weight gradient');
    return {
      shape: `${shape}: [${m},${k}]x[${k},${n}]`,
      forwardGflops: forward,
      weightGradientGflops: weight,
      inputGradientGflops: gflops('input gradient'),
      weightToForward: weight / forward,
    };
  });
  const contention: ContentionRow[] = [
    {
      machine: `as it is (load ${fixed(loadBefore)})`,
      threads: `default (${quiet.threads})`,
      mlpMs: quiet.ms['MLP step'] as number,
      cnnMs: quiet.ms['CNN step'] as number,
    },
  ];
  const busy = spinners();
  try {
    await new Promise((resolve) => setTimeout(resolve, 500));
    // A, B, default, then again: drift hits each alike.
    for (let pass = 0; pass < 2; pass++) {
      for (const threads of ['1', '2', 'auto']) {
        const r = runChild(threads, Math.max(5, Math.floor(rounds / 2)));
        contention.push({
          machine: `every core busy (+${busy.length} spinners)`,
          threads: threads === 'auto' ? `default (${r.threads})` : threads,
          mlpMs: r.ms['MLP step'] as number,
          cnnMs: r.ms['CNN step'] as number,
        });
      }
    }
  } finally {
    for (const spinner of busy) spinner.kill();
  }
  const text = [
    table(
      [
        'GEMM (forward [m,k]x[k,n])',
        'forward GFLOP/s',
        'weight grad GFLOP/s',
        'input grad GFLOP/s',
        'weight / forward',
      ],
      rows.map((r) => [
        r.shape,
        fixed(r.forwardGflops),
        fixed(r.weightGradientGflops),
        fixed(r.inputGradientGflops),
        fixed(r.weightToForward, 2),
      ]),
    ),
    '',
    table(
      ['machine', 'threads', 'MLP ms/step', 'CNN ms/step'],
      contention.map((r) => [r.machine, r.threads, fixed(r.mlpMs), fixed(r.cnnMs)]),
    ),
  ].join('\n');
  return { rows, contention, text };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { text } = await benchGemm({ rounds: Number(process.argv[2] ?? 21) });
  console.log(text);
}
