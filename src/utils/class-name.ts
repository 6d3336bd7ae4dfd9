/** A class as the serialization code sees it. */
export interface NamedClass {
  readonly name: string;
  readonly className?: string;
}

/**
 * The Keras class name of `cls`: its own static `className` when it declares
 * one (minifiers rename classes, so built-ins declare it), else its JavaScript
 * name. A subclass never inherits its parent's `className`.
 */
export function classNameOf(cls: NamedClass): string {
  if (Object.hasOwn(cls, 'className') && typeof cls.className === 'string') {
    return cls.className;
  }
  return cls.name;
}

/** The Keras class name of an instance. */
export function classNameOfInstance(instance: object): string {
  return classNameOf(instance.constructor as NamedClass);
}
