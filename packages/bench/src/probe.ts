/**
 * Preloaded into the measured process with `node --import`: at exit it writes the peak RSS
 * (VmHWM of /proc/self/status, in KB) and process.resourceUsage() (user/system CPU in µs) to
 * $MANIFOLD_BENCH_PROBE. It adds nothing else to the process.
 *
 * Not resourceUsage().maxRSS: on Linux ru_maxrss survives fork+exec, so a child reports at
 * least the RSS its parent (the bench, with its page cache) had when it was spawned.
 */
import { readFileSync, writeFileSync } from 'node:fs';

const out = process.env.MANIFOLD_BENCH_PROBE;
if (out) {
  process.on('exit', () => {
    let vmHwmKb: number | undefined;
    try {
      const m = /^VmHWM:\s*(\d+)\s*kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
      if (m) vmHwmKb = Number(m[1]);
    } catch {
      // not Linux: fall back to maxRSS
    }
    writeFileSync(out, JSON.stringify({ ...process.resourceUsage(), vmHwmKb }));
  });
}
