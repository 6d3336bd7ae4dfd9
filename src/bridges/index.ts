/**
 * The `bridges` namespace: interoperability with other libraries, today
 * `@tensorflow/tfjs-layers` (passed in, not a dependency): Keras's
 * regularizers registered with its serialization, and ours as its
 * regularizers.
 *
 * @packageDocumentation
 * @example bridges.registerTfjsLayersRegularizers(tfl); // then tfl.loadLayersModel reads Keras's L2
 */
export {
  registerTfjsLayersRegularizers,
  type TfjsLayersModule,
  type TfjsLayersRegularizer,
  toTfjsLayersRegularizer,
} from './tfjs-layers.js';
