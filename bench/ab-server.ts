/**
 * Taskgate with some hot-path tricks turned off, for bench/ab.ts only: sets src/lib/hot-path.ts before the
 * server's modules are loaded, then starts src/server.ts as usual (same environment, same config).
 *
 * Environment: HOT_PATH_OFF, a comma-separated list of settings to turn off (empty: all on, the A/A control).
 */
import { type HotPathSettings, hotPath, setHotPath } from '../src/lib/hot-path.js';

const off = (process.env.HOT_PATH_OFF ?? '').split(',').filter(Boolean);
for (const name of off) {
  if (!(name in hotPath)) throw new Error(`HOT_PATH_OFF: no hot-path setting named ${name}`);
  setHotPath({ [name as keyof HotPathSettings]: false });
}
await import('../src/server.js');
