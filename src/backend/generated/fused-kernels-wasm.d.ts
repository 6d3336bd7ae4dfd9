/** The fused kernels' WebAssembly module (src/backend/kernels/fused.wat), base64. */
export declare const FUSED_KERNELS_WASM_BASE64: string;
/** The same module importing a shared memory, for the threaded wasm build. */
export declare const FUSED_KERNELS_SHARED_MEMORY_WASM_BASE64: string;
