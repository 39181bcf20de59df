import { buildApp } from './app.js';
import { ConfigError, loadConfig, type Config } from './config/config.js';
import { createContext } from './context.js';
import { bootstrapFirstAdmin } from './users/bootstrap.js';

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

/** An unreachable database, a failed migration or a wrong encryption key: one clear line, not a stack trace. */
function cannotStart(err: unknown): never {
  console.error(`Cannot start Taskgate: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}

const config = configOrExit();
const ctx = await createContext(config).catch(cannotStart);
const app = await buildApp(ctx).catch(async (err: unknown) => {
  await ctx.close().catch(() => undefined);
  return cannotStart(err);
});
const notice = await bootstrapFirstAdmin(ctx);
if (notice) app.log.info(notice);

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  app.log.info({ signal }, 'shutting down: finishing in-flight requests');
  // A client that never finishes must not keep the process alive forever.
  setTimeout(() => process.exit(1), 15_000).unref();
  // app.close() stops accepting, waits for in-flight requests, then runs onClose hooks (flushes usage).
  await app.close();
  await ctx.close();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

await app.listen({ port: config.port, host: config.host });
app.log.info(`Taskgate listening on http://localhost:${config.port} (${ctx.dialect}); API docs at /docs`);
