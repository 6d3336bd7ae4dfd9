/**
 * The Keras layers that carry Python code: `Lambda` (a Python function's
 * bytecode), `JaxLayer` and `FlaxLayer` (JAX functions and modules),
 * `TorchModuleWrapper` (a pickled `torch.nn.Module`) and `TFSMLayer` (a
 * TensorFlow SavedModel). This library never runs code from a file, so each
 * is refused, by its constructor and when a file or config holds one, with
 * Keras's own `safe_mode` reason. A user who trusts the file can give a
 * layer of their own for the class name in `customObjects`.
 */
import { ValueError } from '../../errors.js';
import { Layer } from '../layer.js';
import type { LayerOptions } from '../layer-types.js';

/** What each class carries, in Keras's words (its `safe_mode` error). */
const CARRIES: Record<string, string> = {
  Lambda: 'a `Lambda` layer whose `function` is a Python lambda',
  JaxLayer: 'a `JaxLayer`, whose `call_fn` and `init_fn` are Python functions',
  FlaxLayer: 'a `FlaxLayer`, whose `module` is a Python Flax module',
  TorchModuleWrapper: 'a `torch.nn.Module` object via `torch.load()`',
  TFSMLayer: 'a `TFSMLayer`, which loads an external SavedModel',
};

/** The error a layer that carries Python code gives: what it is, Keras's safe-mode reason, and the way out. */
export function pythonLayerError(className: string): ValueError {
  const carries = CARRIES[className] ?? `a \`${className}\` layer, which carries Python code`;
  return new ValueError(
    `Requested the deserialization of ${carries}. This carries a potential risk of arbitrary code execution and thus it is disallowed by default (Keras refuses it too unless \`safe_mode=False\`), and this library cannot run Python code at all: it is refused. Rebuild the model with layers this library provides, or pass your own layer for ${JSON.stringify(className)} in customObjects. Received: class_name=${JSON.stringify(className)}`,
    { argument: 'class_name', expected: 'a layer without Python code', received: className },
  );
}

function refuse(className: string): never {
  throw pythonLayerError(className);
}

/**
 * Base of the refused classes: constructing one (directly, or from a
 * config or file) throws `pythonLayerError`.
 *
 * @example try { layers.deserialize({ class_name: 'Lambda', config: {} }); } catch (e) { console.log((e as Error).message); }
 */
export abstract class PythonCodeLayer extends Layer {
  protected constructor(className: string, _options?: LayerOptions | Record<string, unknown>) {
    super(refuse(className));
  }
}

/**
 * Keras's `Lambda`: refused here, as it carries a Python function (see `pythonLayerError`).
 *
 * @example try { new layers.Lambda(); } catch (e) { console.log((e as Error).message); }
 */
export class Lambda extends PythonCodeLayer {
  static override readonly className: string = 'Lambda';
  constructor(options?: Record<string, unknown>) {
    super('Lambda', options);
  }
}

/**
 * Keras's `JaxLayer`: refused here, as it carries Python JAX functions.
 *
 * @example try { new layers.JaxLayer(); } catch (e) { console.log((e as Error).message); }
 */
export class JaxLayer extends PythonCodeLayer {
  static override readonly className: string = 'JaxLayer';
  constructor(options?: Record<string, unknown>) {
    super('JaxLayer', options);
  }
}

/**
 * Keras's `FlaxLayer`: refused here, as it carries a Python Flax module.
 *
 * @example try { new layers.FlaxLayer(); } catch (e) { console.log((e as Error).message); }
 */
export class FlaxLayer extends PythonCodeLayer {
  static override readonly className: string = 'FlaxLayer';
  constructor(options?: Record<string, unknown>) {
    super('FlaxLayer', options);
  }
}

/**
 * Keras's `TorchModuleWrapper`: refused here, as it carries a pickled PyTorch module.
 *
 * @example try { new layers.TorchModuleWrapper(); } catch (e) { console.log((e as Error).message); }
 */
export class TorchModuleWrapper extends PythonCodeLayer {
  static override readonly className: string = 'TorchModuleWrapper';
  constructor(options?: Record<string, unknown>) {
    super('TorchModuleWrapper', options);
  }
}

/**
 * Keras's `TFSMLayer`: refused here, as it loads a TensorFlow SavedModel.
 *
 * @example try { new layers.TFSMLayer(); } catch (e) { console.log((e as Error).message); }
 */
export class TFSMLayer extends PythonCodeLayer {
  static override readonly className: string = 'TFSMLayer';
  constructor(options?: Record<string, unknown>) {
    super('TFSMLayer', options);
  }
}

/** The refused classes by Keras class name, for the layer registry. */
export const PYTHON_CODE_LAYERS = [Lambda, JaxLayer, FlaxLayer, TorchModuleWrapper, TFSMLayer] as const;
