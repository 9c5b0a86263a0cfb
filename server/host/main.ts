/**
 * `npm start`: the local host's composition root. Reads the configuration, opens the SQLite
 * stores, seeds the demo world into an empty catalog, serves every function over HTTP, and
 * closes the stores on SIGINT / SIGTERM. Any failure to start is one clear line and exit 1.
 */
import type net from 'node:net';
import pkg from '../../package.json';
import { ConfigError, loadConfig, type Config } from '../config';
import { openSqliteStores } from '../adapters/sqlite';
import { functions } from '../functions';
import type { Stores } from '../ports';
import { generateDemoWorld, seedDemoWorld } from './demo-world';
import { consoleLogger } from './logger';
import { isLoopback } from './loopback';
import { createHost } from './server';
import { startLearningLoop } from './learning-loop';
import { demoSimulation } from './sim-run';

class StartError extends Error {}

function readConfig(): Config {
  try {
    // `npm start -- --simulate` is SIMULATE=1.
    return loadConfig(process.argv.includes('--simulate') ? { ...process.env, SIMULATE: '1' } : process.env);
  } catch (err) {
    throw new StartError(err instanceof ConfigError ? err.message : String(err));
  }
}

function openStores(config: Config): Stores {
  try {
    return openSqliteStores(config);
  } catch (err) {
    // The adapter's message names the file and the reason (corrupt, newer schema, no permission).
    throw new StartError(`${err instanceof Error ? err.message : String(err)} (DATA_DIR=${config.dataDir})`);
  }
}

async function start(): Promise<void> {
  const config = readConfig();
  if (!isLoopback(config.host) && !config.allowRemote) {
    throw new StartError(
      `refusing to listen on ${config.host}: in local mode anyone who can reach the port can act as any user ` +
        '(identity comes from the x-openid header). Use a loopback HOST, or set ALLOW_REMOTE=1 if you really mean it.',
    );
  }
  const log = consoleLogger();
  const stores = openStores(config);
  // Simulated users live on a faster clock, so that 30-minute click windows close in seconds.
  const started = Date.now();
  const now = config.simulate ? () => started + (Date.now() - started) * config.simSpeed : () => Date.now();

  if (config.seedDemo) {
    const world = generateDemoWorld({ seed: config.seed, now: now() });
    const n = await seedDemoWorld(stores, world);
    if (n.items > 0) {
      console.log(`seeded the demo world (seed ${config.seed}): ${n.items} content items, ${n.merchants} merchants, ${n.campaigns} campaigns`);
    }
  }

  const app = createHost({ deps: { config, stores, now, log }, functions, name: pkg.name, version: pkg.version });
  let address: string;
  try {
    address = await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    await stores.close();
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'EADDRINUSE' ? `port ${config.port} is in use (set PORT to another port)` : String(err);
    throw new StartError(`cannot listen on ${config.host}:${config.port}: ${why}`);
  }

  // fastify may name the address as 0.0.0.0 or [::]; print the one a browser can use.
  const port = (app.server.address() as net.AddressInfo).port;
  const shown = isLoopback(config.host) ? `http://127.0.0.1:${port}` : address;
  // One write, readiness line last: scripts and the e2e test wait for "listening on".
  console.log(
    [
      `${pkg.name} ${pkg.version} local host (data in ${config.dataDir})`,
      ...Object.keys(functions).map((name) => `  POST ${shown}/api/${name}`),
      '  identity: the x-openid header (local mode only)',
      `listening on ${shown}`,
    ].join('\n'),
  );

  const stopLearning =
    config.trainEverySeconds > 0
      ? startLearningLoop({
          deps: { config, stores, now, log },
          intervalMs: config.trainEverySeconds * 1000,
          simulation: config.simulate ? demoSimulation(config.seed) : null,
          print: (line) => console.log(line),
        })
      : async () => undefined;
  if (config.simulate) console.log(`simulating users on a clock ${config.simSpeed}× faster; training every ${config.trainEverySeconds} s`);

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    console.log(`${signal}: shutting down`);
    app
      .close()
      .then(() => stopLearning())
      .then(() => stores.close())
      .then(
        () => process.exit(0),
        (err) => {
          console.error(`error while shutting down: ${String(err)}`);
          process.exit(1);
        },
      );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

if (require.main === module) {
  start().catch((err) => {
    console.error(`local host: ${err instanceof StartError ? err.message : `failed to start: ${String(err)}`}`);
    process.exit(1);
  });
}
