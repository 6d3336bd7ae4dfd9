/**
 * The package as a user gets it: `npm pack` (its `prepack` keeps `prepare`
 * out of the tarball), installed into a fresh project with npm, installs
 * without a script of ours; that project, TypeScript strict with
 * `module: nodenext`, compiles every `ts` example of the README (free names
 * such as `model` or `x` declared in a prelude, as a reader has them from
 * earlier examples), compiles every `@example` of the doc comments in src
 * (each a module of its own, importing what the package exports), and runs
 * the Keras page example, printing 5.25 with no warning from tfjs (tfjs-core
 * is a peer: one copy). Then, as the README's install section says, a
 * fresh ESM project and a fresh CommonJS project (`npm init -y`, so
 * `require`), each made by the README's commands, run the page example;
 * the CommonJS one also through `tsx`, and with `require()` of ES modules
 * turned off (an older Node) it gets an error saying what to do.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
// The consumer's processes see none of this repository's settings (tsx's tsconfig path is ours).
const { TSX_TSCONFIG_PATH: _ours, ...CONSUMER_ENV } = process.env;
const run = (command: string, args: string[], cwd: string) => {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 240_000, env: CONSUMER_ENV });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
};

/** The ```ts blocks of the README and of the guides in docs/ (not the generated reference), in order. */
function readmeExamples(): string[] {
  const guides = readdirSync(join(ROOT, 'docs'))
    .filter((file) => file.endsWith('.md'))
    .sort()
    .map((file) => join('docs', file));
  return ['README.md', ...guides].flatMap((file) => {
    const text = readFileSync(join(ROOT, file), 'utf8');
    return [...text.matchAll(/^```ts\n([\s\S]*?)^```/gm)].map((m) => m[1] as string);
  });
}

/**
 * The `@example`s of the doc comments under src/: the text after the tag and
 * the comment lines that follow it, up to the next tag or the comment's end.
 */
function docExamples(): { file: string; code: string }[] {
  const files = readdirSync(join(ROOT, 'src'), { recursive: true })
    .map(String)
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts') && !file.endsWith('.d.ts'))
    .sort();
  const examples: { file: string; code: string }[] = [];
  for (const file of files) {
    const text = readFileSync(join(ROOT, 'src', file), 'utf8');
    for (const [comment] of text.matchAll(/\/\*\*[\s\S]*?\*\//g)) {
      const lines = comment.split('\n').map((line) => line.replace(/^\s*\/?\*+\/?\s?/, '').replace(/\s*\*\/$/, ''));
      lines.forEach((line, i) => {
        const tag = /@example\b(.*)$/.exec(line);
        if (tag == null) return;
        const body = [tag[1] as string];
        for (const next of lines.slice(i + 1)) {
          if (next.trimStart().startsWith('@')) break;
          body.push(next);
        }
        examples.push({ file: file.replaceAll('\\', '/'), code: body.join('\n').trim() });
      });
    }
  }
  return examples;
}

/** What a doc example has in scope: tfjs-core as `tf`, tfjs-layers as `tfl`, and every export of the package. */
function docExampleHeader(): string {
  const api = readFileSync(join(ROOT, 'src/api.ts'), 'utf8');
  const names = [
    ...[...api.matchAll(/^export \* as (\w+)/gm)].map((m) => m[1] as string),
    ...[...api.matchAll(/^export \{([^}]*)\}/gm)].flatMap((m) =>
      (m[1] as string)
        .split(',')
        .map((name) => name.trim())
        .filter((name) => name !== '' && !name.startsWith('type ')),
    ),
  ].sort();
  return `import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { ${names.join(', ')} } from 'keras-regularizers';
`;
}

// What a reader of a doc example has: the tensors and model the surrounding docs talk about.
const DOC_PRELUDE = `import type * as tf from '@tensorflow/tfjs-core';
import type { layers, models } from 'keras-regularizers';
declare global {
  const x: tf.Tensor, y: tf.Tensor, a: tf.Tensor, b: tf.Tensor, weights: tf.Tensor;
  const model: models.Sequential;
  const inputs: layers.KerasTensor;
}
export {};
`;

const TSCONFIG = JSON.stringify({
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
});

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

/** The README's install commands: the test runs them as written (the tarball's path put in). */
export const INSTALL_COMMANDS = {
  init: 'npm init -y',
  esm: 'npm pkg set type=module',
  tarball: 'npm install ./keras-regularizers-0.1.0.tgz @tensorflow/tfjs-core@4.22.0',
} as const;

/** The Keras page example, as an ES module or as CommonJS; it prints the loss sum and the backend. */
const PAGE_BODY = `const layer = new layers.Dense({ units: 5, kernelInitializer: 'ones', kernelRegularizer: new L1(0.01), activityRegularizer: new L2(0.01) });
layer.apply(ops.multiply(ops.ones([5, 5]), 2));
console.log(ops.sum(layer.losses).dataSync()[0], backend.getBackend());
`;
const PAGE_ESM = `import { backend, L1, L2, layers, ops } from 'keras-regularizers';\n${PAGE_BODY}`;
const PAGE_CJS = `const { backend, L1, L2, layers, ops } = require('keras-regularizers');\n${PAGE_BODY}`;

describe('the packed package in a fresh TypeScript project', () => {
  let folder: string;
  let tarball: string;
  let consumer: string;
  let install: { status: number | null; output: string };

  before(() => {
    folder = mkdtempSync(join(tmpdir(), 'consumer-'));
    // Packed from a copy, so that the package.json rewrite of prepack never touches the working tree.
    const staging = join(folder, 'staging');
    mkdirSync(staging);
    // What `files` ships: docs/ as committed (the guides and the Markdown reference), not the built HTML.
    const guides = readdirSync(join(ROOT, 'docs')).filter((file) => file.endsWith('.md'));
    mkdirSync(join(staging, 'docs'));
    for (const entry of [
      'package.json',
      'README.md',
      'COMPATIBILITY.md',
      'dist',
      'scripts/pack-manifest.mjs',
      'docs/reference',
      ...guides.map((file) => `docs/${file}`),
    ]) {
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
    tarball = join(folder, `keras-regularizers-${manifest.version}.tgz`);
    install = run(
      'npm',
      [
        'install',
        tarball,
        `@tensorflow/tfjs-core@${version('@tensorflow/tfjs-core')}`,
        `typescript@${version('typescript')}`,
        `@types/node@${version('@types/node')}`,
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
      ],
      consumer,
    );
    // tfjs-layers is an optional companion: the bridge examples need it only for its types.
    cpSync(join(ROOT, 'node_modules/@tensorflow/tfjs-layers'), join(consumer, 'node_modules/@tensorflow/tfjs-layers'), {
      recursive: true,
    });
  });

  after(() => rmSync(folder, { recursive: true, force: true }));

  it('installs from the tarball without running or listing an install script of ours', () => {
    assert.equal(install.status, 0, install.output);
    assert.doesNotMatch(install.output, /keras-regularizers@[^ ]* \((prepare|preinstall|install|postinstall)/);
    const installed = JSON.parse(readFileSync(join(consumer, 'node_modules/keras-regularizers/package.json'), 'utf8'));
    for (const script of ['prepare', 'preinstall', 'install', 'postinstall'])
      assert.equal(installed.scripts?.[script], undefined);
  });

  it('compiles every README and guide example under strict, nodenext', () => {
    const examples = readmeExamples();
    assert.ok(examples.length >= 10, `found ${examples.length} examples`);
    writeFileSync(join(consumer, 'prelude.ts'), PRELUDE);
    examples.forEach((code, i) => {
      // Each example is a module of its own (top-level await needs one).
      writeFileSync(join(consumer, `example-${i + 1}.ts`), /^import /m.test(code) ? code : `${code}\nexport {};\n`);
    });
    writeFileSync(join(consumer, 'tsconfig.json'), TSCONFIG);
    const compiled = run(process.execPath, [join(consumer, 'node_modules/typescript/bin/tsc'), '-p', '.'], consumer);
    assert.equal(compiled.status, 0, compiled.output);
  });

  it('compiles every @example of the doc comments under strict, nodenext', () => {
    const examples = docExamples();
    assert.ok(examples.length >= 150, `found ${examples.length} examples`);
    // A folder of its own: its prelude declares other free names than the README's.
    const folder = join(consumer, 'doc-examples');
    mkdirSync(folder);
    writeFileSync(join(folder, 'prelude.ts'), DOC_PRELUDE);
    const header = docExampleHeader();
    const seen = new Map<string, number>();
    for (const { file, code } of examples) {
      // Named after the source file (layers.core.dense.1.ts), so that tsc's errors say where to fix.
      const stem = file.replace(/\.ts$/, '').replaceAll('/', '.');
      const n = (seen.get(stem) ?? 0) + 1;
      seen.set(stem, n);
      writeFileSync(join(folder, `${stem}.${n}.ts`), `${header}${code}\nexport {};\n`);
    }
    writeFileSync(join(folder, 'tsconfig.json'), TSCONFIG);
    const compiled = run(process.execPath, [join(consumer, 'node_modules/typescript/bin/tsc'), '-p', '.'], folder);
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

  /** A fresh project made by the README's commands (`npm init -y`, then the install line), in `name`. */
  function freshProject(name: string, esm: boolean, extra: string[] = []): string {
    const project = join(folder, name);
    mkdirSync(project);
    const commands = [INSTALL_COMMANDS.init, ...(esm ? [INSTALL_COMMANDS.esm] : [])];
    for (const command of commands) {
      const [tool, ...args] = command.split(' ');
      const result = run(tool as string, args, project);
      assert.equal(result.status, 0, `${command}: ${result.output}`);
    }
    const args = INSTALL_COMMANDS.tarball.split(' ').slice(1);
    args[1] = tarball;
    const result = run('npm', [...args, ...extra, '--prefer-offline', '--no-audit', '--no-fund'], project);
    assert.equal(result.status, 0, `${INSTALL_COMMANDS.tarball}: ${result.output}`);
    return project;
  }

  it("the README's install section is the commands run here", () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    for (const command of Object.values(INSTALL_COMMANDS)) assert.ok(readme.includes(command), command);
    const version = JSON.parse(readFileSync(join(ROOT, 'node_modules/@tensorflow/tfjs-core/package.json'), 'utf8'));
    assert.ok(INSTALL_COMMANDS.tarball.endsWith(`@tensorflow/tfjs-core@${version.version}`));
  });

  it('a fresh ESM project runs the page example: 5.25 on wasm, started at import', () => {
    const project = freshProject('esm', true);
    writeFileSync(join(project, 'page.js'), PAGE_ESM);
    const result = run(process.execPath, ['page.js'], project);
    assert.equal(result.status, 0, result.output);
    assert.equal(result.output.trim(), '5.25 wasm');
  });

  it('a fresh CommonJS project: require() runs the page example (cpu at first use; wasm after backend.ready()), also through tsx', () => {
    const tsx = JSON.parse(readFileSync(join(ROOT, 'node_modules/tsx/package.json'), 'utf8')).version;
    const project = freshProject('cjs', false, [`tsx@${tsx}`]);
    assert.notEqual(
      JSON.parse(readFileSync(join(project, 'package.json'), 'utf8')).type,
      'module',
      'npm init -y: CommonJS',
    );
    writeFileSync(join(project, 'page.js'), PAGE_CJS);
    const plain = run(process.execPath, ['page.js'], project);
    assert.equal(plain.status, 0, plain.output);
    assert.equal(plain.output.trim(), '5.25 cpu');
    // backend.ready() first: the same start as the import entry's.
    writeFileSync(
      join(project, 'ready.js'),
      `${PAGE_CJS.split('\n')[0]}\nbackend.ready().then(() => {\n${PAGE_BODY}});\n`,
    );
    const ready = run(process.execPath, ['ready.js'], project);
    assert.equal(ready.status, 0, ready.output);
    assert.equal(ready.output.trim(), '5.25 wasm');
    // tsx in a CommonJS project compiles `import` to require().
    writeFileSync(join(project, 'page.ts'), PAGE_ESM);
    const viaTsx = run(process.execPath, [join(project, 'node_modules/tsx/dist/cli.mjs'), 'page.ts'], project);
    assert.equal(viaTsx.status, 0, viaTsx.output);
    assert.equal(viaTsx.output.trim(), '5.25 cpu');
  });

  it('a Node that cannot require() ES modules gets an error saying what to do', () => {
    const project = join(folder, 'cjs');
    const result = run(process.execPath, ['--no-experimental-require-module', 'page.js'], project);
    assert.notEqual(result.status, 0);
    assert.match(
      result.output,
      /Error: keras-regularizers is an ES module, and this Node \(v[\d.]+\) cannot require\(\) ES modules: that needs Node 20\.19\+ or 22\.12\+.*await import\("keras-regularizers"\)/,
    );
  });
});
