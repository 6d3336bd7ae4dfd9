/**
 * The package as a user gets it: `npm pack` (its `prepack` keeps `prepare`
 * out of the tarball), installed into a fresh project with npm, installs
 * without a script of ours; that project, TypeScript strict with
 * `module: nodenext`, compiles every `ts` example of the README (free names
 * such as `model` or `x` declared in a prelude, as a reader has them from
 * earlier examples) and runs the Keras page example, printing 5.25 with no
 * warning from tfjs (tfjs-core is a peer: one copy).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const run = (command: string, args: string[], cwd: string) => {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 240_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
};

/** The README's ```ts blocks, in order. */
function readmeExamples(): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  return [...readme.matchAll(/^```ts\n([\s\S]*?)^```/gm)].map((m) => m[1] as string);
}

// What a reader of the README has from the examples before the one at hand.
const PRELUDE = `import type * as tf from '@tensorflow/tfjs-core';
import type { models, Regularizer } from 'keras-regularizers';
declare global {
  const x: tf.Tensor, y: tf.Tensor, xTest: tf.Tensor, yTest: tf.Tensor, xa: tf.Tensor, xb: tf.Tensor;
  const model: models.Sequential;
  const batches: [tf.Tensor, tf.Tensor][];
  const json: unknown;
  class L2Regularizer extends Regularizer { constructor(options?: { l2?: number }) }
  class MyRegularizer extends Regularizer {}
  const backend: typeof import('keras-regularizers').backend;
}
export {};
`;

describe('the packed package in a fresh TypeScript project', () => {
  let folder: string;
  let consumer: string;
  let install: { status: number | null; output: string };

  before(() => {
    folder = mkdtempSync(join(tmpdir(), 'consumer-'));
    // Packed from a copy, so that the package.json rewrite of prepack never touches the working tree.
    const staging = join(folder, 'staging');
    mkdirSync(staging);
    for (const entry of ['package.json', 'README.md', 'COMPATIBILITY.md', 'dist', 'scripts/pack-manifest.mjs']) {
      cpSync(join(ROOT, entry), join(staging, entry), { recursive: true });
    }
    const manifest = JSON.parse(readFileSync(join(staging, 'package.json'), 'utf8'));
    manifest.scripts.prepack = 'node scripts/pack-manifest.mjs strip'; // dist is already built
    writeFileSync(join(staging, 'package.json'), JSON.stringify(manifest, null, 2));
    const pack = run('npm', ['pack', '--pack-destination', folder], staging);
    assert.equal(pack.status, 0, pack.output);
    consumer = join(folder, 'consumer');
    mkdirSync(consumer);
    writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    const version = (name: string) =>
      JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;
    install = run(
      'npm',
      [
        'install',
        join(folder, `keras-regularizers-${manifest.version}.tgz`),
        `@tensorflow/tfjs-core@${version('@tensorflow/tfjs-core')}`,
        `typescript@${version('typescript')}`,
        `@types/node@${version('@types/node')}`,
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
      ],
      consumer,
    );
  });

  after(() => rmSync(folder, { recursive: true, force: true }));

  it('installs from the tarball without running or listing an install script of ours', () => {
    assert.equal(install.status, 0, install.output);
    assert.doesNotMatch(install.output, /keras-regularizers@[^ ]* \((prepare|preinstall|install|postinstall)/);
    const installed = JSON.parse(readFileSync(join(consumer, 'node_modules/keras-regularizers/package.json'), 'utf8'));
    for (const script of ['prepare', 'preinstall', 'install', 'postinstall'])
      assert.equal(installed.scripts?.[script], undefined);
  });

  it('compiles every README example under strict, nodenext', () => {
    const examples = readmeExamples();
    assert.ok(examples.length >= 10, `found ${examples.length} examples`);
    writeFileSync(join(consumer, 'prelude.ts'), PRELUDE);
    examples.forEach((code, i) => {
      // Each example is a module of its own (top-level await needs one).
      writeFileSync(join(consumer, `example-${i + 1}.ts`), /^import /m.test(code) ? code : `${code}\nexport {};\n`);
    });
    writeFileSync(
      join(consumer, 'tsconfig.json'),
      JSON.stringify({
        // skipLibCheck: tfjs's own typings do not compile without it (README says so); ours are checked through the examples.
        compilerOptions: {
          strict: true,
          module: 'nodenext',
          target: 'es2022',
          noEmit: true,
          skipLibCheck: true,
          types: ['node'],
          lib: ['es2022', 'dom'],
        },
        include: ['*.ts'],
      }),
    );
    // tfjs-layers is an optional companion: the bridge example needs it only for its types.
    const layersTypes = join(consumer, 'node_modules/@tensorflow/tfjs-layers');
    cpSync(join(ROOT, 'node_modules/@tensorflow/tfjs-layers'), layersTypes, { recursive: true });
    const compiled = run(process.execPath, [join(consumer, 'node_modules/typescript/bin/tsc'), '-p', '.'], consumer);
    assert.equal(compiled.status, 0, compiled.output);
  });

  it('runs the Keras page example: 5.25, and tfjs prints nothing else', () => {
    writeFileSync(
      join(consumer, 'page.mjs'),
      `import { L1, L2, layers, ops } from 'keras-regularizers';
const layer = new layers.Dense({ units: 5, inputDim: 5, kernelInitializer: 'ones', kernelRegularizer: new L1(0.01), activityRegularizer: new L2(0.01) });
layer.apply(ops.multiply(ops.ones([5, 5]), 2));
console.log(ops.sum(layer.losses).dataSync()[0]);
`,
    );
    const result = run(process.execPath, ['page.mjs'], consumer);
    assert.equal(result.status, 0, result.output);
    const lines = result.output.trim().split('\n');
    assert.equal(lines[0], '5.25');
    // Keras's own warning for inputDim is the only other line.
    assert.deepEqual(lines.slice(1), [
      'Do not pass an `inputShape`/`inputDim` argument to a layer. When using Sequential models, prefer using an `Input({ shape })` object as the first layer in the model instead.',
    ]);
  });
});
