/** The `bridges` namespace: interoperability with other libraries. */
export {
  registerTfjsLayersRegularizers,
  type TfjsLayersModule,
  type TfjsLayersRegularizer,
  toTfjsLayersRegularizer,
} from './tfjs-layers.js';
