import { readFileSync } from 'node:fs';

/** One case of the Keras reference files; fields depend on `kind`. */
// biome-ignore lint/suspicious/noExplicitAny: fixture JSON is read as data, each test reads its kind's fields.
export type FixtureCase = { name: string; kind: string } & Record<string, any>;

function load(file: string): FixtureCase[] {
  const url = new URL(`../fixtures/${file}`, import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { cases: FixtureCase[] }).cases;
}

/** The shared file computed by real Keras 3.16-dev (torch). */
export const KERAS_REFERENCE = load('keras-reference.json');
/** Our own cases computed by real Keras (scripts/generate_keras_fixtures.py). */
export const KERAS_EXTRA = load('keras-extra.json');
/** Small models trained by real Keras (scripts/generate_keras_training_fixtures.py). */
export const KERAS_TRAINING = load('keras-training.json');

export function casesOf(kind: string, cases: FixtureCase[] = KERAS_REFERENCE): FixtureCase[] {
  return cases.filter((c) => c.kind === kind);
}

/** Fixture numbers encode NaN and the infinities as strings. */
export function decode(value: number | string): number {
  if (value === 'NaN') return Number.NaN;
  if (value === 'Infinity') return Number.POSITIVE_INFINITY;
  if (value === '-Infinity') return Number.NEGATIVE_INFINITY;
  return value as number;
}

export function decodeAll(values: readonly (number | string)[]): number[] {
  return values.map(decode);
}
