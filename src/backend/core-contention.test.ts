/** The default thread count from the cores other processes keep busy, with the counters' arithmetic worked out here. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type CpuSample, othersBusyCores, sampleCpu, threadsForFreeCores } from './core-contention.js';

const at = (busyMs: number, totalMs: number, ownMs: number, wall: number): CpuSample => ({
  busyMs,
  totalMs,
  ownMs,
  at: wall,
});

describe('core contention', () => {
  it('counts the busy time of other processes in cores: the busy share less our own CPU time', () => {
    // 2 cores over 100 ms: 200 ms of counters, 150 busy, 50 of them ours -> 1 core busy elsewhere.
    assert.equal(othersBusyCores(at(0, 0, 0, 0), at(150, 200, 50, 100), 2), 1);
    // Our own threads alone: nobody else.
    assert.equal(othersBusyCores(at(10, 10, 5, 0), at(110, 210, 105, 100), 2), 0);
    // Our time measured a little above the counters' (their 10 ms ticks): never below 0.
    assert.equal(othersBusyCores(at(0, 0, 0, 0), at(100, 200, 120, 100), 2), 0);
  });

  it('a window under 50 ms, or counters that did not move, tells nothing', () => {
    assert.equal(othersBusyCores(at(0, 0, 0, 0), at(80, 80, 0, 40), 2), null);
    assert.equal(othersBusyCores(at(5, 5, 0, 0), at(5, 5, 0, 100), 2), null);
  });

  it('threads: the free cores, a core three quarters free counted, at least 1, at most the cores', () => {
    assert.equal(threadsForFreeCores(2, 0), 2);
    assert.equal(threadsForFreeCores(2, 0.2), 2);
    assert.equal(threadsForFreeCores(2, 0.3), 1);
    assert.equal(threadsForFreeCores(2, 1), 1);
    assert.equal(threadsForFreeCores(2, 2), 1);
    assert.equal(threadsForFreeCores(8, 3), 5);
    assert.equal(threadsForFreeCores(1, 0), 1);
    assert.equal(threadsForFreeCores(2, null), 2);
  });

  it('samples real counters: busy within total, our CPU time growing', async () => {
    const before = await sampleCpu();
    let spin = 0;
    while (performance.now() - before.at < 60) spin++;
    const after = await sampleCpu();
    assert.ok(spin > 0 && after.busyMs <= after.totalMs && after.ownMs > before.ownMs);
    const others = othersBusyCores(before, after, 2);
    assert.ok(others === null || (others >= 0 && others <= 2));
  });
});
