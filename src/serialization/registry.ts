/**
 * The registry of custom classes and functions, Keras's
 * `register_keras_serializable`: objects registered under
 * `"package>name"` serialize with that name and deserialize from it.
 * Explicit calls only; nothing registers itself on import.
 */
import { invalidArgument } from '../errors.js';
import { classNameOf } from '../utils/class-name.js';

/** What can be registered and named in Keras JSON: a class (with `getConfig`/`fromConfig`) or a function. */
// biome-ignore lint/complexity/noBannedTypes: classes and plain functions are both registrable.
export type Serializable = Function;

/** The options of `registerSerializable`, Keras's `register_keras_serializable(package="Custom", name=None)`. */
export interface RegisterOptions {
  /** The package part of the registered name; default `"Custom"`, as in Keras. */
  package?: string;
  /** The name part; default the class's Keras name or the function's name. */
  name?: string;
}

const objectsByName = new Map<string, Serializable>();
const namesByObject = new Map<Serializable, { registeredName: string; packageName: string }>();

/**
 * Registers `object` (a class with `getConfig`/`fromConfig`, or a function)
 * under `"package>name"` and returns it, so it also works as a wrapper.
 *
 * @example
 * class MyScaledL1 extends L1 {}
 * saving.registerSerializable(MyScaledL1, { package: 'my_pkg' });
 */
export function registerSerializable<T extends Serializable>(object: T, options: RegisterOptions = {}): T {
  if (typeof object !== 'function') {
    throw invalidArgument('object', 'a class or a function', object);
  }
  const packageName = options.package ?? 'Custom';
  const name = options.name ?? classNameOf(object);
  for (const [argument, value] of [
    ['package', packageName],
    ['name', name],
  ] as const) {
    if (typeof value !== 'string' || value === '' || value.includes('>')) {
      throw invalidArgument(argument, 'a non-empty string without ">"', value);
    }
  }
  const registeredName = `${packageName}>${name}`;
  objectsByName.set(registeredName, object);
  namesByObject.set(object, { registeredName, packageName });
  return object;
}

/** The `"package>name"` that `object` was registered under, or `null`. */
export function getRegisteredName(object: Serializable): string | null {
  return namesByObject.get(object)?.registeredName ?? null;
}

/** The package that `object` was registered under, or `null`. */
export function getRegisteredPackage(object: Serializable): string | null {
  return namesByObject.get(object)?.packageName ?? null;
}

/** The object registered as `registeredName`, or `undefined`. */
export function getRegisteredObject(registeredName: string): Serializable | undefined {
  return objectsByName.get(registeredName);
}

/** Removes a registration (for tests and hot reloading). */
export function unregisterSerializable(object: Serializable): void {
  const entry = namesByObject.get(object);
  if (entry == null) return;
  namesByObject.delete(object);
  objectsByName.delete(entry.registeredName);
}
