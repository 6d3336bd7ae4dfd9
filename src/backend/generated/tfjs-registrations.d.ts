// Built by scripts/bundle-tfjs-registrations.mjs; importing it registers every
// tfjs-core gradient and chained op (`x.square()`) in tfjs's global registries.
export {};
