/**
 * The link from the `ops` functions to graph recording: `ops.add(x, 1)` on a
 * symbolic tensor records an `Add` node. The recorder lives in this folder's
 * index, which imports the layer classes; `ops` reaches it through this hook
 * so that `ops` itself imports no layer (layers import `ops`).
 */
import { ValueError } from '../../errors.js';
import { KerasTensor } from '../../layers/symbolic/keras-tensor.js';

type Recorder = (
  className: string,
  args: readonly unknown[],
  config?: Record<string, unknown>,
) => KerasTensor | KerasTensor[];

let recorder: Recorder | null = null;

/** Installs the recorder (done once by `ops/symbolic/index.ts`). */
export function setRecorder(record: Recorder): void {
  recorder = record;
}

/** Whether any argument (or an entry of an array argument) is a symbolic tensor. */
export function hasSymbolic(...args: readonly unknown[]): boolean {
  return args.some((a) => a instanceof KerasTensor || (Array.isArray(a) && a.some((x) => x instanceof KerasTensor)));
}

/** Records Keras's op `className` on `args` as a graph node; its symbolic output. */
export function recordOp(
  className: string,
  args: readonly unknown[],
  config: Record<string, unknown> = {},
): KerasTensor {
  return recordOpOutputs(className, args, config) as KerasTensor;
}

/** {@link recordOp} for ops with several outputs (Split). */
export function recordOpOutputs(
  className: string,
  args: readonly unknown[],
  config: Record<string, unknown> = {},
): KerasTensor | KerasTensor[] {
  if (recorder == null) {
    throw new ValueError(
      `ops.${className} was given a symbolic tensor, but graph ops are not loaded: import the package's root (or its models) first.`,
      { argument: 'x' },
    );
  }
  return recorder(className, args, config);
}
