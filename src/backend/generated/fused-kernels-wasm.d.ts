/** The fused kernels' WebAssembly module (src/backend/kernels/fused.wat), base64. */
export declare const FUSED_KERNELS_WASM_BASE64: string;
