/**
 * How many XNNPACK threads the threaded `wasm` build starts with when the
 * user did not say (`backend.ready({ threads })` unset): one per core the
 * machine leaves free, at least one.
 *
 * Why: XNNPACK splits each matmul evenly across its threads and waits for
 * the slowest; on a machine whose cores other processes keep busy, a second
 * thread shares a core and the split makes a step slower than one thread
 * does (measured on 2 cores at load 20: the MLP's [128,784]x[784,512]
 * product 16 ms with one thread, 24 ms with two). The load average cannot
 * tell our own earlier work from other processes', so the busy time of the
 * cores is sampled over the backend's start, less this process's own CPU
 * time.
 */

/** Busy and total CPU milliseconds of every core, and this process's own CPU milliseconds, at one moment. */
export interface CpuSample {
  busyMs: number;
  totalMs: number;
  ownMs: number;
  /** Wall-clock milliseconds. */
  at: number;
}

/** Reads the cores' counters and this process's CPU time (Node only). */
export async function sampleCpu(): Promise<CpuSample> {
  const { cpus } = await import('node:os');
  let busyMs = 0;
  let totalMs = 0;
  for (const { times } of cpus()) {
    const total = times.user + times.nice + times.sys + times.idle + times.irq;
    totalMs += total;
    busyMs += total - times.idle;
  }
  const own = process.cpuUsage();
  return { busyMs, totalMs, ownMs: (own.user + own.system) / 1000, at: performance.now() };
}

/**
 * Cores other processes kept busy between two samples (0 to `cores`), or
 * null when the window is too short to tell (the counters tick every 10 ms).
 */
export function othersBusyCores(before: CpuSample, after: CpuSample, cores: number): number | null {
  const wallMs = after.at - before.at;
  const totalMs = after.totalMs - before.totalMs;
  if (wallMs < 50 || totalMs <= 0) return null;
  const othersMs = Math.max(0, after.busyMs - before.busyMs - (after.ownMs - before.ownMs));
  // Busy share of all cores, in cores; the counters' own clock, not the wall clock.
  return Math.min(cores, (cores * othersMs) / totalMs);
}

/**
 * The thread count for `cores` cores with `othersBusy` of them kept busy by
 * other processes: the free cores, rounded so that a core three quarters
 * free still counts, at least 1 and at most `cores` (null `othersBusy`: unknown, all cores).
 */
export function threadsForFreeCores(cores: number, othersBusy: number | null): number {
  if (othersBusy == null) return Math.max(1, cores);
  return Math.max(1, Math.min(cores, Math.floor(cores - othersBusy + 0.25)));
}
