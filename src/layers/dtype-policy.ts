import { ValueError } from '../errors.js';
import { formatValue } from '../utils/format.js';
import { isPlainObject, ownValue } from '../utils/objects.js';

/** Keras 3's serialized `DTypePolicy`. */
export interface DTypePolicyJson {
  module: 'keras';
  class_name: 'DTypePolicy';
  config: { name: string };
  registered_name: null;
}

/** What a layer's `dtype` option accepts: `"float32"` or Keras's policy JSON for it. */
export type DTypeOption = 'float32' | DTypePolicyJson | null | undefined;

/** Only float32 is computed; any other policy is refused rather than silently ignored. */
export function parseDtype(value: unknown): 'float32' {
  if (value == null || value === 'float32') return 'float32';
  if (isPlainObject(value) && ownValue(value, 'class_name') === 'DTypePolicy') {
    const config = ownValue(value, 'config');
    if (isPlainObject(config) && ownValue(config, 'name') === 'float32') return 'float32';
  }
  throw new ValueError(
    `Invalid value for argument dtype: expected "float32" (the only dtype policy supported). Received: dtype=${formatValue(value)}`,
    { argument: 'dtype', expected: '"float32"', received: formatValue(value) },
  );
}

export function dtypePolicyJson(name: 'float32'): DTypePolicyJson {
  return { module: 'keras', class_name: 'DTypePolicy', config: { name }, registered_name: null };
}
