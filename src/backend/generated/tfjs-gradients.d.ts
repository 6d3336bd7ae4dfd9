// Built by scripts/bundle-tfjs-gradients.mjs; importing it registers every
// tfjs-core gradient in tfjs's global gradient registry.
export {};
