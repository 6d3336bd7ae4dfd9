/**
 * Float32 arithmetic, one rounding per operation, as Keras evaluates a
 * schedule: the initial learning rate becomes a float32 tensor and every
 * other term is cast to its dtype, so the value Keras hands the optimizer
 * is the float32 result of each step in turn, not the float64 formula.
 */
export const f32 = Math.fround;

export const add = (a: number, b: number): number => f32(f32(a) + f32(b));
export const sub = (a: number, b: number): number => f32(f32(a) - f32(b));
export const mul = (a: number, b: number): number => f32(f32(a) * f32(b));
export const div = (a: number, b: number): number => f32(f32(a) / f32(b));
export const pow = (a: number, b: number): number => f32(f32(a) ** f32(b));
export const cos = (a: number): number => f32(Math.cos(f32(a)));
export const log = (a: number): number => f32(Math.log(f32(a)));
/** `ops.array(math.pi, dtype="float32")`. */
export const PI = f32(Math.PI);
