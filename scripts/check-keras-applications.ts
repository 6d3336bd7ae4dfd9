/**
 * Loads the keras.applications models that Keras saved
 * (scripts/generate_keras_applications_fixtures.py predict DIR) and compares
 * our predictions on the same input with Keras's. One line per model:
 * parameters, load time, predict time, max abs diff, pass/fail; a model over
 * the weight budget must be refused before anything is allocated, with the
 * engine still working afterwards (a small model is then loaded and run).
 *
 *   TSX_TSCONFIG_PATH=tsconfig.check.json npx tsx scripts/check-keras-applications.ts predict DIR [cpu|wasm] [NAME ...]
 *
 * `finetune DIR [cpu|wasm] [CASE ...]` replays the fine-tune cases
 * (generator's `finetune` mode, test/helpers/keras-applications.ts): one line
 * per case with the largest differences from Keras's numbers, and writes
 * CASE.ours.keras (the fine-tuned model) and CASE.ours.json (x and our
 * predictions) for scripts/check_keras_applications.py to load in Keras.
 *
 * Exit code 1 if any model fails. Prints a JSON summary line last.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { backend, saving } from 'keras-regularizers';
import { type FinetuneCase, replayFinetune } from '../test/helpers/keras-applications.js';

interface Values {
  shape: number[];
  values: number[];
}
interface Case {
  name: string;
  size: number;
  params: number;
  x: Values;
  prediction: Values;
}

/**
 * A model's logits pass when every difference is within 1e-4 of the logits'
 * scale (the largest |logit|, at least 1): float32 through up to ~800 layers,
 * summed in another order by tfjs's kernels than by XLA's.
 */
const RELATIVE_TO_SCALE = 1e-4;

async function main(): Promise<void> {
  const [mode, dir, engine = 'cpu', ...only] = process.argv.slice(2);
  if (dir == null || (mode !== 'predict' && mode !== 'finetune')) {
    throw new Error('usage: check-keras-applications.ts predict|finetune DIR [cpu|wasm] [NAME ...]');
  }
  await backend.setBackend(engine);
  const names =
    only.length > 0
      ? only
      : readdirSync(dir)
          .filter((f) => f.endsWith('.json') && !f.endsWith('.ours.json'))
          .map((f) => f.slice(0, -5))
          .sort();
  if (mode === 'finetune') {
    await finetune(dir, engine, names);
    return;
  }
  const rows: Record<string, unknown>[] = [];
  let failures = 0;
  for (const name of names) {
    const row = await checkOne(dir, name, engine);
    rows.push(row);
    if (row.status === 'fail') failures++;
    console.log(
      `${engine} ${name.padEnd(18)} params ${String(row.params).padStart(11)}  load ${fmt(row.loadSeconds)} s  predict ${fmt(row.predictSeconds)} s  max|diff| ${String(row.maxAbsDiff ?? '-').padEnd(8)} (scale ${row.scale ?? '-'})  ${row.status}${row.note ? `  (${row.note})` : ''}`,
    );
  }
  console.log(JSON.stringify({ engine, models: rows.length, failures, rows }));
  process.exitCode = failures > 0 ? 1 : 0;
}

const fmt = (v: unknown) => (typeof v === 'number' ? v.toFixed(1).padStart(6) : '     -');

async function checkOne(dir: string, name: string, engine: string): Promise<Record<string, unknown>> {
  const expected = JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as Case;
  const file = join(dir, `${name}.keras`);
  const row: Record<string, unknown> = { name, params: expected.params, size: expected.size };
  if (!existsSync(file)) return { ...row, status: 'fail', note: 'no .keras file' };
  const tensors = tf.memory().numTensors;
  const start = performance.now();
  let model: Awaited<ReturnType<typeof saving.loadModel>>;
  try {
    model = await saving.loadModel(file, { compile: false });
  } catch (error) {
    const message = (error as Error).message;
    const refused = /over the budget|Refused before allocating|-byte limit/.test(message);
    const after = tf.memory().numTensors;
    // Refused by the budget (the weights' count, or the file's size that maxWeights bounds: a
    // ConvNeXtXLarge file is 1.4 GB), nothing left allocated, and the engine still computes.
    const working = tf.tidy(() => tf.add(tf.scalar(1), tf.scalar(2)).dataSync()[0] === 3);
    return {
      ...row,
      loadSeconds: (performance.now() - start) / 1000,
      status: refused && after === tensors && working ? 'refused' : 'fail',
      note: message.slice(0, 300),
    };
  }
  row.loadSeconds = (performance.now() - start) / 1000;
  const x = tf.tensor(expected.x.values, expected.x.shape);
  const predictStart = performance.now();
  const y = model.predict(x, { batchSize: expected.x.shape[0] }) as tf.Tensor;
  const got = y.dataSync();
  row.predictSeconds = (performance.now() - predictStart) / 1000;
  const want = expected.prediction.values;
  const scale = Math.max(1, ...want.map(Math.abs));
  let maxAbs = 0;
  let bad = 0;
  for (let i = 0; i < want.length; i++) {
    const d = Math.abs((got[i] as number) - (want[i] as number));
    if (!(d <= maxAbs)) maxAbs = Number.isNaN(d) ? Number.NaN : Math.max(maxAbs, d);
    if (!(d <= RELATIVE_TO_SCALE * scale)) bad++;
  }
  row.scale = Number(scale.toPrecision(3));
  const shapeOk = tf.util.arraysEqual(y.shape, expected.prediction.shape);
  tf.dispose([x, y]);
  model.dispose();
  const leaked = tf.memory().numTensors - tensors;
  row.maxAbsDiff = Number(maxAbs.toExponential(2));
  row.status = shapeOk && bad === 0 && leaked === 0 ? 'pass' : 'fail';
  if (!shapeOk) row.note = `shape ${y.shape} vs ${expected.prediction.shape}`;
  else if (bad > 0) row.note = `${bad} of ${want.length} values off`;
  else if (leaked !== 0) row.note = `${leaked} tensors left`;
  void engine;
  return row;
}

/** The largest |ours - Keras's| over a list of numbers. */
function worst(got: ArrayLike<number>, want: ArrayLike<number>): number {
  let d = got.length === want.length ? 0 : Number.POSITIVE_INFINITY;
  for (let i = 0; i < want.length; i++) d = Math.max(d, Math.abs((got[i] as number) - (want[i] as number)) || 0);
  return d;
}

/** Relative to the values' scale (at least 1), as the committed test's rtol 1e-4 / atol 1e-5 would pass. */
function close(got: ArrayLike<number>, want: ArrayLike<number>): boolean {
  for (let i = 0; i < want.length; i++) {
    const w = want[i] as number;
    if (!(Math.abs((got[i] as number) - w) <= 1e-5 + 1e-4 * Math.abs(w))) return false;
  }
  return got.length === want.length;
}

async function finetune(dir: string, engine: string, labels: string[]): Promise<void> {
  const rows: Record<string, unknown>[] = [];
  let failures = 0;
  for (const label of labels) {
    const expected = JSON.parse(readFileSync(join(dir, `${label}.json`), 'utf8')) as FinetuneCase;
    const tensors = tf.memory().numTensors;
    const start = performance.now();
    let row: Record<string, unknown>;
    try {
      const r = await replayFinetune(join(dir, `${label}.keras`), expected);
      const logs = (pair: { got: Record<string, number>; want: Record<string, number> }) => [
        Object.keys(pair.want).map((k) => pair.got[k] as number),
        Object.values(pair.want),
      ];
      const [evalGot, evalWant] = logs(r.evaluate) as [number[], number[]];
      const stepGot = r.steps.want.flatMap((w, i) => Object.keys(w).map((k) => r.steps.got[i]?.[k] as number));
      const stepWant = r.steps.want.flatMap((w) => Object.values(w));
      const [afterGot, afterWant] = logs(r.afterEvaluate) as [number[], number[]];
      const checks = {
        prediction: close(r.prediction.got, r.prediction.want),
        evaluate: close(evalGot, evalWant),
        steps: close(stepGot, stepWant),
        head: close(r.head.got, r.head.want),
        afterEvaluate: close(afterGot, afterWant),
        movingStats: r.movingStats.maxChange === 0 && r.movingStats.count === expected.moving_stats,
        reloaded: worst(r.reloaded.got, r.reloaded.want) === 0,
      };
      writeFileSync(join(dir, `${label}.ours.keras`), r.saved);
      writeFileSync(
        join(dir, `${label}.ours.json`),
        JSON.stringify({ x: { pixels: expected.x.pixels }, prediction: r.finalPrediction, y: expected.y }),
      );
      const failed = Object.entries(checks)
        .filter(([, ok]) => !ok)
        .map(([k]) => k);
      row = {
        label,
        seconds: (performance.now() - start) / 1000,
        prediction: worst(r.prediction.got, r.prediction.want),
        evaluate: worst(evalGot, evalWant),
        steps: worst(stepGot, stepWant),
        head: worst(r.head.got, r.head.want),
        movingStats: r.movingStats.count,
        loss: stepGot.join(' '),
        status: failed.length === 0 && tf.memory().numTensors === tensors ? 'pass' : 'fail',
        note:
          failed.length > 0 ? `off: ${failed.join(', ')}` : tf.memory().numTensors !== tensors ? 'tensors left' : '',
      };
    } catch (error) {
      row = { label, status: 'fail', note: (error as Error).message.slice(0, 300) };
    }
    if (row.status !== 'pass') failures++;
    rows.push(row);
    const e = (v: unknown) => (typeof v === 'number' ? v.toExponential(1) : '-');
    console.log(
      `${engine} ${label.padEnd(28)} ${fmt(row.seconds)} s  max|diff| prediction ${e(row.prediction)} evaluate ${e(row.evaluate)} steps ${e(row.steps)} head ${e(row.head)}  BN stats ${row.movingStats ?? '-'} unchanged  ${row.status}${row.note ? `  (${row.note})` : ''}`,
    );
  }
  console.log(JSON.stringify({ engine, cases: rows.length, failures, rows }));
  process.exitCode = failures > 0 ? 1 : 0;
}

await main();
