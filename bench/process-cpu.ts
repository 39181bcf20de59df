import fs from 'node:fs';

// Linux reports /proc times in clock ticks, 100 a second on every platform it runs on today.
const CLOCK_TICKS = 100;

/** CPU time (user + system, µs) a process has used so far; null where /proc cannot tell. */
export function cpuMicros(pid: number | undefined): number | null {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLOCK_TICKS;
  } catch {
    return null;
  }
}
