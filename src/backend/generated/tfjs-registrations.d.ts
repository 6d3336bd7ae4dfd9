// Built by scripts/bundle-tfjs-registrations.mjs; importing it registers every
// tfjs-core gradient and chained op (`x.square()`) in tfjs's global registries.
// The import below brings the chained ops' type declarations.
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops.js';
