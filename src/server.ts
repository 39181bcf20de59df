import cluster from 'node:cluster';
import { ConfigError, loadConfig, type Config } from './config/config.js';

function configOrExit(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`Configuration error: ${err.message}`);
      process.exit(1);
    }
    throw err;
  }
}

const config = configOrExit();
if (config.workers > 1 && cluster.isPrimary) {
  // The primary only supervises: it never opens the database or loads the HTTP app.
  const { runPrimary } = await import('./cluster/primary.js');
  // Workers get their grace period plus what closing takes (flushing last use, the database).
  await runPrimary({ workers: config.workers, shutdownGraceMs: config.shutdownGraceMs + 10_000 });
} else {
  const { runWorker } = await import('./worker.js');
  await runWorker(config);
}
