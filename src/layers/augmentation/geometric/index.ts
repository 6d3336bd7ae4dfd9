/** The geometric augmentation layers (re-exported by the layers namespace). */
export {};
