/** Canvas set-up shared by the drawings: sharp on high-density screens, cleared. */

export function context2d(canvas: HTMLCanvasElement, width: number, height: number): CanvasRenderingContext2D {
  const ratio = window.devicePixelRatio || 1;
  if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
  }
  const context = canvas.getContext('2d');
  if (context == null) throw new Error('This browser gives no 2D canvas.');
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  context.clearRect(0, 0, width, height);
  context.font = '11px system-ui, sans-serif';
  return context;
}

/** About `count` round tick values covering [min, max]. */
export function ticks(min: number, max: number, count = 5): number[] {
  const span = max - min || 1;
  const rough = span / count;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 5, 10].find((m) => m * magnitude >= rough) ?? 10) * magnitude;
  const values: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) values.push(Number(v.toPrecision(12)));
  return values;
}

/** A tick label: short, and exponential only for very small or large values. */
export function formatTick(value: number): string {
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude < 1e-3 || magnitude >= 1e5) return value.toExponential(0);
  return String(Number(value.toPrecision(3)));
}

/** Blue for negative, white for 0, red for positive; `t` in [-1, 1]. */
export function diverging(t: number): [number, number, number] {
  const s = Math.max(-1, Math.min(1, t));
  const fade = (channel: number) => Math.round(255 - (255 - channel) * Math.abs(s));
  return s < 0 ? [fade(33), fade(102), fade(172)] : [fade(178), fade(24), fade(43)];
}
