/**
 * `npm start`: the local host's composition root. Reads the configuration, opens the SQLite
 * stores, seeds the demo world into an empty catalog, serves every function over HTTP, and
 * closes the stores on SIGINT / SIGTERM. Any failure to start is one clear line and exit 1.
 *
 * HOST_WORKERS=n (n > 1): this process is the primary — it seeds, runs the learning loop and
 * the simulated users, and prints the readiness lines — and n node cluster workers serve HTTP
 * on the one port (connections are spread round-robin), each with its own stores connection and
 * warm caches. They share the simulated clock's start (HOST_STARTED_AT, HOST_SIM_FROM). A worker that dies is
 * replaced; SIGINT / SIGTERM to the primary stops the workers first. The workers never
 * checkpoint the SQLite WAL inside a commit; the primary does it every second.
 */
import cluster, { type Worker } from 'node:cluster';
import type net from 'node:net';
import pkg from '../../package.json';
import { ConfigError, loadConfig, type Config } from '../config';
import { failpoints } from '../adapters/failpoints';
import { openSqliteStores, startCheckpoints } from '../adapters/sqlite';
import { functions } from '../functions';
import { sceneOf } from '../scenes';
import type { Stores } from '../ports';
import { TRAIN_JOB } from '../learning/trainer-state';
import { seedDemoFaq } from './demo-faq';
import { generateDemoWorld, seedDemoWorld } from './demo-world';
import { consoleLogger } from './logger';
import { isLoopback } from './loopback';
import { createHost } from './server';
import { startLearningLoop } from './learning-loop';
import { ONBOARDING_COMPLETION, sceneSimulation } from './sim-run';

class StartError extends Error {}

function readConfig(): Config {
  try {
    // `npm start -- --simulate` is SIMULATE=1.
    return loadConfig(
      process.argv.includes('--simulate') ? { ...process.env, SIMULATE: '1' } : process.env,
    );
  } catch (err) {
    throw new StartError(err instanceof ConfigError ? err.message : String(err));
  }
}

function openStores(config: Config, opts: Parameters<typeof openSqliteStores>[1] = {}): Stores {
  try {
    return openSqliteStores(config, opts);
  } catch (err) {
    // The adapter's message names the file and the reason (corrupt, newer schema, no permission).
    throw new StartError(
      `${err instanceof Error ? err.message : String(err)} (DATA_DIR=${config.dataDir})`,
    );
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
  if (config.failpoints) armFailpoints(config.failpoints);
  if (cluster.isWorker) return startWorker(config);
  const log = consoleLogger();
  const stores = openStores(config);
  // Simulated users live on a faster clock, so that 30-minute click windows close in seconds. It
  // goes on from where an earlier simulation on this store left it, never back in time.
  const started = Date.now();
  const simFrom = config.simulate ? await simulatedFrom(config, stores, started) : started;
  const now = clockOf(config, started, simFrom);

  if (config.seedDemo) {
    // The scene's shelves beside the core world (SCENE, server/scenes.ts); only into an empty store.
    const world = generateDemoWorld({
      seed: config.seed,
      now: now(),
      ...sceneOf(config.scene).world,
    });
    const n = await seedDemoWorld(stores, world);
    if (n.items > 0) {
      console.log(
        `seeded the demo world (seed ${config.seed}): ${n.items} content items, ${n.merchants} merchants, ${n.campaigns} campaigns`,
      );
    }
    const faq = await seedDemoFaq(stores, now());
    if (faq > 0) console.log(`seeded the platform FAQ: ${faq} entries`);
  }
  if (config.hostWorkers > 1) return startPrimary(config, stores, now, started, simFrom);

  const app = createHost({
    deps: { config, stores, now, log },
    functions,
    name: pkg.name,
    version: pkg.version,
  });
  let address: string;
  try {
    address = await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    await stores.close();
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'EADDRINUSE'
        ? `port ${config.port} is in use (set PORT to another port)`
        : String(err);
    throw new StartError(`cannot listen on ${config.host}:${config.port}: ${why}`);
  }

  // fastify may name the address as 0.0.0.0 or [::]; print the one a browser can use.
  const port = (app.server.address() as net.AddressInfo).port;
  const shown = isLoopback(config.host) ? `http://127.0.0.1:${port}` : address;
  console.log(readiness(shown, config.dataDir, [`  scene: ${config.scene} (SCENE)`]));
  const stopLearning = startLoop(config, stores, now, log);

  exitOnSignals(() => app.close(), stopLearning, stores);
}

/**
 * SIGINT / SIGTERM, once: stop serving, then the training loop, then the stores; exit 0, or 1
 * when a step fails.
 */
function exitOnSignals(
  stopServing: () => Promise<unknown>,
  stopLearning: () => Promise<void>,
  stores: Stores,
): void {
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    console.log(`${signal}: shutting down`);
    stopServing()
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

/** Test mode only (config.ts refuses FAILPOINTS otherwise): the storage fails where the spec says. */
function armFailpoints(spec: string): void {
  try {
    failpoints.configure(spec);
  } catch (err) {
    throw new StartError(String(err instanceof Error ? err.message : err));
  }
  console.log(`test mode: failpoints ${spec}`);
}

/** The host's clock: real time, or the simulated users' faster one, at `simFrom` when it was `started`. */
function clockOf(config: Config, started: number, simFrom = started): () => number {
  return config.simulate
    ? () => simFrom + (Date.now() - started) * config.simSpeed
    : () => Date.now();
}

/**
 * Where a simulated clock starts: now, or past the last training round of an earlier simulation on
 * this store and the events it may have stamped before the next round, whichever is later.
 */
async function simulatedFrom(config: Config, stores: Stores, started: number): Promise<number> {
  const trained = (await stores.checkpoints.get(TRAIN_JOB))?.updatedAt ?? 0;
  return Math.max(started, trained + config.trainEverySeconds * config.simSpeed * 1000);
}

function readiness(shown: string, dataDir: string, extra: string[] = []): string {
  // One write, readiness line last: scripts and the e2e test wait for "listening on".
  return [
    `${pkg.name} ${pkg.version} local host (data in ${dataDir})`,
    ...extra,
    ...Object.keys(functions).map((name) => `  POST ${shown}/api/${name}`),
    '  identity: the x-openid header (local mode only)',
    `listening on ${shown}`,
  ].join('\n');
}

/** A cluster worker: serves HTTP on the shared port until the primary stops it. */
async function startWorker(config: Config): Promise<void> {
  const log = consoleLogger();
  // The primary checkpoints the WAL: a commit here never stops to do it (server/adapters/sqlite/db.ts).
  const stores = openStores(config, { autoCheckpoint: false });
  const started = Number(process.env.HOST_STARTED_AT) || Date.now();
  const now = clockOf(config, started, Number(process.env.HOST_SIM_FROM) || started);
  const app = createHost({
    deps: { config, stores, now, log },
    functions,
    name: pkg.name,
    version: pkg.version,
  });
  let closing = false;
  const stop = () => {
    if (closing) return;
    closing = true;
    app
      .close()
      .then(() => stores.close())
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  };
  // The primary coordinates shutdown (a terminal's Ctrl-C reaches every process of the group).
  process.on('SIGINT', () => undefined);
  process.on('SIGTERM', stop);
  process.on('disconnect', stop);
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    await stores.close();
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'EADDRINUSE'
        ? `port ${config.port} is in use (set PORT to another port)`
        : String(err);
    throw new StartError(`cannot listen on ${config.host}:${config.port}: ${why}`);
  }
}

/** The primary of HOST_WORKERS > 1: forks the workers, prints readiness once all listen, trains. */
async function startPrimary(
  config: Config,
  stores: Stores,
  now: () => number,
  started: number,
  simFrom: number,
): Promise<void> {
  const log = consoleLogger();
  const env = { HOST_STARTED_AT: String(started), HOST_SIM_FROM: String(simFrom) };
  let closing = false;
  let ready = false;
  const workers = new Set<Worker>();
  const fork = (): void => void workers.add(cluster.fork(env));
  const port = await new Promise<number>((resolve, reject) => {
    let listening = 0;
    cluster.on('listening', (_w, address) => {
      if (++listening === config.hostWorkers) resolve(address.port);
    });
    cluster.on('exit', (w, code, signal) => {
      workers.delete(w);
      if (closing) return;
      if (!ready)
        return reject(
          new StartError(`a host worker exited while starting (${signal ?? `code ${code}`})`),
        );
      log.error('host worker exited; starting another', { code, signal });
      fork();
    });
    for (let i = 0; i < config.hostWorkers; i++) fork();
  }).catch(async (err) => {
    closing = true;
    for (const w of workers) w.kill('SIGTERM');
    await stores.close();
    throw err;
  });
  ready = true;
  const checkpoints = startCheckpoints(config);
  const shown = isLoopback(config.host)
    ? `http://127.0.0.1:${port}`
    : `http://${config.host}:${port}`;
  console.log(
    readiness(shown, config.dataDir, [
      `  scene: ${config.scene} (SCENE)`,
      `  ${config.hostWorkers} worker processes (HOST_WORKERS)`,
    ]),
  );
  const stopLearning = startLoop(config, stores, now, log);
  // Workers first: each finishes its requests and closes its own connections.
  const stopWorkers = (): Promise<void> => {
    closing = true;
    const exited = new Promise<void>((resolve) => {
      if (workers.size === 0) resolve();
      cluster.on('exit', () => workers.size === 0 && resolve());
    });
    for (const w of workers) w.kill('SIGTERM');
    return exited.then(() => checkpoints.stop());
  };
  exitOnSignals(stopWorkers, stopLearning, stores);
}

function startLoop(
  config: Config,
  stores: Stores,
  now: () => number,
  log: ReturnType<typeof consoleLogger>,
): () => Promise<void> {
  const stop =
    config.trainEverySeconds > 0
      ? startLearningLoop({
          deps: { config, stores, now, log },
          intervalMs: config.trainEverySeconds * 1000,
          // The scene's users: some answer the risk questionnaire, some share a place (SCENE).
          simulation: config.simulate
            ? sceneSimulation(config.seed, config.scene, null, {
                onboarding: ONBOARDING_COMPLETION,
              })
            : null,
          print: (line) => console.log(line),
        })
      : async () => undefined;
  if (config.simulate)
    console.log(
      `simulating users on a clock ${config.simSpeed}× faster; training every ${config.trainEverySeconds} s`,
    );
  return stop;
}

if (require.main === module) {
  start().catch((err) => {
    console.error(
      `local host: ${err instanceof StartError ? err.message : `failed to start: ${String(err)}`}`,
    );
    process.exit(1);
  });
}
