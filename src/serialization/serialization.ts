/**
 * Keras's `serialize_keras_object` / `deserialize_keras_object` for one
 * family of objects (regularizers, initializers, layers), safe on untrusted
 * JSON: only built-in classes, registered objects and `customObjects` are
 * ever resolved, names are looked up as own keys only, and no key that can
 * reach a prototype is accepted anywhere in the input.
 */
import { ValueError } from '../errors.js';
import { classNameOf, classNameOfInstance } from '../utils/class-name.js';
import { formatValue } from '../utils/format.js';
import { FORBIDDEN_KEYS, isPlainObject, ownValue } from '../utils/objects.js';
import { configToCamel, configToSnake } from './case.js';
import type { KerasObjectJson } from './keras-json.js';
import { getRegisteredName, getRegisteredObject, getRegisteredPackage, type Serializable } from './registry.js';

/** A class that can be rebuilt from its config. */
export interface DeserializableClass {
  readonly name: string;
  readonly className?: string;
  fromConfig(config: Record<string, unknown>, options?: DeserializeOptions): unknown;
}

/** Objects to resolve by name besides the built-ins and the registry, as Keras's `custom_objects`. */
export type CustomObjects = Readonly<Record<string, Serializable>>;

/** The options of the `deserialize` functions, Keras's `deserialize(config, custom_objects=None)`. */
export interface DeserializeOptions {
  /** Classes and functions by the name the JSON gives them, looked up before the registry. */
  customObjects?: CustomObjects;
}

/** One family of built-in objects: what `module` they serialize with, and their names. */
export interface ObjectFamily {
  /** The family's name in messages, e.g. `"regularizer"`. */
  readonly kind: string;
  /** The Keras module of the built-ins, e.g. `"keras.regularizers"`. */
  readonly module: string;
  /** Every `class_name` accepted for a built-in (Keras names and their snake_case forms). */
  readonly classes: ReadonlyMap<string, DeserializableClass>;
}

/** Custom objects of the deserializations in progress, innermost last. */
const scopes: CustomObjects[] = [];

/**
 * Runs `body` with `customObjects` visible to every deserialization inside
 * it, also those that constructors start (a layer resolving its nested
 * regularizer JSON): Keras's `custom_object_scope`.
 */
export function customObjectScope<T>(customObjects: CustomObjects, body: () => T): T {
  scopes.push(checkCustomObjects(customObjects));
  try {
    return body();
  } finally {
    scopes.pop();
  }
}

function checkCustomObjects(customObjects: unknown): CustomObjects {
  if (!isPlainObject(customObjects)) {
    throw new ValueError(
      `Invalid value for argument customObjects: expected a plain object of classes and functions. Received: customObjects=${formatValue(customObjects)}`,
      { argument: 'customObjects', expected: 'a plain object', received: formatValue(customObjects) },
    );
  }
  return customObjects as CustomObjects;
}

/** The scopes' custom objects and `extra`, later ones winning; a prototype-free object. */
function visibleCustomObjects(extra: CustomObjects | undefined): CustomObjects {
  const merged = Object.create(null) as Record<string, Serializable>;
  for (const objects of [...scopes, ...(extra == null ? [] : [checkCustomObjects(extra)])]) {
    for (const key of Object.keys(objects)) merged[key] = objects[key] as Serializable;
  }
  return merged;
}

/** Deepest nesting accepted in a config; deeper input is hostile or broken. */
const MAX_DEPTH = 64;

/**
 * Serializes a class instance (through `getConfig`, whose camelCase keys
 * become snake_case) or a plain function to Keras JSON; `null` and
 * `undefined` give `null`.
 */
export function serializeKerasObject(
  object: unknown,
  family: ObjectFamily,
): KerasObjectJson<Record<string, unknown> | string> | null {
  if (object == null) return null;
  if (typeof object === 'function') return serializeFunction(object);
  if (typeof object === 'object' && typeof (object as { getConfig?: unknown }).getConfig === 'function') {
    const cls = object.constructor as Serializable & DeserializableClass;
    const className = classNameOfInstance(object);
    const config = configToSnake((object as { getConfig(): Record<string, unknown> }).getConfig());
    if (isBuiltin(cls, family)) {
      // A built-in that Keras files under another module (a Functional model
      // inside a layer list) says so itself, as Keras writes it.
      const spelled = cls as { kerasModule?: string; kerasRegisteredName?: string };
      return {
        module: spelled.kerasModule ?? family.module,
        class_name: className,
        config,
        registered_name: spelled.kerasRegisteredName ?? null,
      };
    }
    const registeredName = getRegisteredName(cls);
    if (registeredName != null) {
      return { module: getRegisteredPackage(cls), class_name: className, config, registered_name: registeredName };
    }
    return { module: null, class_name: className, config, registered_name: className };
  }
  throw new ValueError(
    `Cannot serialize ${formatValue(object)}: expected a ${family.kind} object with getConfig(), a function or null.`,
    { argument: family.kind, expected: `a ${family.kind} object, a function or null`, received: formatValue(object) },
  );
}

function serializeFunction(fn: Serializable): KerasObjectJson<string> {
  return {
    module: 'builtins',
    class_name: 'function',
    config: getRegisteredName(fn) ?? fn.name,
    registered_name: 'function',
  };
}

function isBuiltin(cls: unknown, family: ObjectFamily): boolean {
  for (const builtin of family.classes.values()) if (builtin === cls) return true;
  return false;
}

/** Throws if `value` holds a prototype-reaching key at any depth. */
export function assertSafeConfig(value: unknown, path: string, depth = 0): void {
  if (depth > MAX_DEPTH) {
    throw new ValueError(`Invalid ${path}: nested deeper than ${MAX_DEPTH} levels.`, {
      argument: path,
      expected: `at most ${MAX_DEPTH} levels of nesting`,
    });
  }
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) assertSafeConfig(item, `${path}[${index}]`, depth + 1);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const key of Object.keys(value)) {
    if (FORBIDDEN_KEYS.has(key)) {
      throw new ValueError(`Invalid key ${JSON.stringify(key)} in ${path}: this key is never accepted in a config.`, {
        argument: `${path}.${key}`,
        expected: `no "__proto__", "constructor" or "prototype" key`,
        received: key,
      });
    }
    assertSafeConfig((value as Record<string, unknown>)[key], `${path}.${key}`, depth + 1);
  }
}

/** The parts of a Keras (or tfjs-style) object JSON, checked. */
interface ParsedObjectJson {
  className: string;
  config: unknown;
  module: string | null;
  registeredName: string | null;
}

function parseObjectJson(json: unknown, family: ObjectFamily): ParsedObjectJson {
  const argument = family.kind;
  if (!isPlainObject(json)) {
    throw new ValueError(
      `Could not interpret ${family.kind} config: expected an object {module, class_name, config, registered_name}. Received: ${formatValue(json)}`,
      { argument, expected: 'a Keras object JSON', received: formatValue(json) },
    );
  }
  assertSafeConfig(json, argument);
  const className = ownValue(json, 'class_name') ?? ownValue(json, 'className');
  if (typeof className !== 'string' || className === '') {
    throw new ValueError(
      `Invalid ${family.kind} config: expected class_name to be a non-empty string. Received: class_name=${formatValue(className)} in ${formatValue(json)}`,
      { argument: 'class_name', expected: 'a non-empty string', received: formatValue(className) },
    );
  }
  const module = ownValue(json, 'module') ?? null;
  const registeredName = ownValue(json, 'registered_name') ?? null;
  for (const [field, value] of [
    ['module', module],
    ['registered_name', registeredName],
  ] as const) {
    if (value !== null && typeof value !== 'string') {
      throw new ValueError(
        `Invalid ${family.kind} config: expected ${field} to be a string or null. Received: ${field}=${formatValue(value)}`,
        { argument: field, expected: 'a string or null', received: formatValue(value) },
      );
    }
  }
  return {
    className,
    config: ownValue(json, 'config') ?? {},
    module: module as string | null,
    registeredName: registeredName as string | null,
  };
}

/**
 * Rebuilds an object from Keras JSON (`{ module, class_name, config,
 * registered_name }`) or tfjs-style JSON (`{ className, config }`). Config keys
 * arrive in snake_case and reach `fromConfig` in camelCase.
 * Resolution order, as in Keras: `customObjects` (by registered name, then
 * class name), the registry, then the family's built-ins.
 */
export function deserializeKerasObject(json: unknown, family: ObjectFamily, options: DeserializeOptions = {}): unknown {
  if (json == null) return null;
  const parsed = parseObjectJson(json, family);
  const customObjects = visibleCustomObjects(options.customObjects);
  if (parsed.className === 'function') return resolveFunction(parsed, family, customObjects);

  const found =
    (parsed.registeredName != null ? ownValue(customObjects, parsed.registeredName) : undefined) ??
    ownValue(customObjects, parsed.className) ??
    (parsed.registeredName != null ? getRegisteredObject(parsed.registeredName) : undefined) ??
    family.classes.get(parsed.className);
  if (found == null) throw unknownClassError(parsed, family);
  if (typeof (found as Partial<DeserializableClass>).fromConfig !== 'function') {
    throw new ValueError(
      `Cannot deserialize ${family.kind} ${JSON.stringify(parsed.className)}: the object found for it has no static fromConfig().`,
      { argument: 'class_name', expected: 'a class with fromConfig()', received: parsed.className },
    );
  }
  if (!isPlainObject(parsed.config)) {
    throw new ValueError(
      `Invalid ${family.kind} config for ${parsed.className}: expected config to be an object. Received: config=${formatValue(parsed.config)}`,
      { argument: 'config', expected: 'an object', received: formatValue(parsed.config) },
    );
  }
  const config = configToCamel(parsed.config);
  return customObjectScope(customObjects, () => (found as DeserializableClass).fromConfig(config, options));
}

function resolveFunction(parsed: ParsedObjectJson, family: ObjectFamily, customObjects?: CustomObjects): Serializable {
  const name = parsed.config;
  if (typeof name !== 'string' || name === '') {
    throw new ValueError(
      `Invalid ${family.kind} config: a function's config must be its name. Received: config=${formatValue(name)}`,
      { argument: 'config', expected: 'a function name', received: formatValue(name) },
    );
  }
  const shortName = name.includes('>') ? name.slice(name.indexOf('>') + 1) : name;
  const found = ownValue(customObjects, name) ?? getRegisteredObject(name) ?? ownValue(customObjects, shortName);
  if (typeof found !== 'function') {
    throw new ValueError(
      `Unknown ${family.kind} function ${JSON.stringify(name)}: register it with saving.registerSerializable(fn) or pass it in customObjects: { ${JSON.stringify(shortName)}: fn }.`,
      { argument: 'config', expected: 'a registered function or a key of customObjects', received: name },
    );
  }
  return found;
}

function unknownClassError(parsed: ParsedObjectJson, family: ObjectFamily): ValueError {
  const name = parsed.className;
  const builtin = parsed.module === family.module || (parsed.module == null && parsed.registeredName == null);
  const hint = builtin
    ? `Expected one of the built-in ${family.kind}s (${[...new Set([...family.classes.values()].map((c) => classNameOf(c)))].join(', ')}), a registered class or a key of customObjects.`
    : `If ${JSON.stringify(name)} is a custom class, register it with saving.registerSerializable(${name}, { package: "..." }) or pass it as customObjects: { ${name} }.`;
  return new ValueError(
    `Cannot deserialize ${family.kind} of class_name ${JSON.stringify(name)}${parsed.registeredName ? ` (registered_name ${JSON.stringify(parsed.registeredName)})` : ''}: it is not a built-in, registered or custom object. ${hint}`,
    { argument: 'class_name', expected: 'a built-in, registered or custom class', received: name },
  );
}
