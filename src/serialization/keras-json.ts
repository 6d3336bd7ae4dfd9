/**
 * The Keras 3 JSON shapes, as TypeScript types, so the compiler checks what
 * we write. Keys are snake_case here and only here (and in `case.ts`).
 */

/** `serialize_keras_object` output for a class instance or a function. */
export interface KerasObjectJson<C = unknown> {
  module: string | null;
  class_name: string;
  config: C;
  registered_name: string | null;
}

/** The older tfjs-layers form, `{ className, config }`, accepted on input. */
export interface TfjsObjectJson<C = unknown> {
  className: string;
  config: C;
}

/** A plain function: `config` holds its name (or `"package>name"` once registered). */
export type KerasFunctionJson = KerasObjectJson<string> & { module: 'builtins'; class_name: 'function' };

/** Keras JSON as accepted on input: `module` and `registered_name` may be left out. */
export type KerasObjectInput<C = unknown> = Pick<KerasObjectJson<C>, 'class_name' | 'config'> &
  Partial<Pick<KerasObjectJson<C>, 'module' | 'registered_name'>>;
