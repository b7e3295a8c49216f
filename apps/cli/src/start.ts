import { type ChildProcess, fork } from 'node:child_process';
import { resolve } from 'node:path';
import type { AppConfig } from '@app/config';
import { runMigrations } from '@app/db';
import { checkPostgres, checkRedis } from './preflight';

const APPS = ['api', 'worker', 'recommender'] as const;

/** dist/apps/cli/src/start.js → dist/apps/<app>/src/main.js; from source (tests) the .ts twin. */
function entryPoint(app: (typeof APPS)[number]): { file: string; execArgv: string[] } {
  const fromSource = __filename.endsWith('.ts');
  return {
    file: resolve(__dirname, '../../', app, `src/main.${fromSource ? 'ts' : 'js'}`),
    execArgv: fromSource ? ['-r', '@swc-node/register'] : [],
  };
}

/**
 * `npm start`: checks Postgres and Redis, migrates, then runs api + worker + recommender as
 * child processes. If one dies the others are stopped and the exit code says so.
 */
export async function start(config: AppConfig, log: (line: string) => void): Promise<number> {
  const { created } = await checkPostgres(config);
  if (created) log(`created database ${new URL(config.db.url).pathname.slice(1)}`);
  await checkRedis(config);
  await runMigrations(config.db.url);
  log('database migrated');

  const children = new Map<string, ChildProcess>();
  let stopping = false;
  const stopAll = (signal: NodeJS.Signals) => {
    stopping = true;
    for (const child of children.values()) if (child.exitCode === null) child.kill(signal);
  };

  const exitCode = await new Promise<number>((resolveExit) => {
    let remaining = APPS.length;
    let firstFailure = 0;
    for (const app of APPS) {
      const { file, execArgv } = entryPoint(app);
      const child = fork(file, [], { stdio: 'inherit', env: process.env, execArgv });
      children.set(app, child);
      child.on('exit', (code, signal) => {
        remaining -= 1;
        if (!stopping) {
          log(`${app} exited (${signal ?? `code ${code}`}); stopping the others`);
          firstFailure = code || 1;
          stopAll('SIGTERM');
        }
        if (remaining === 0) resolveExit(firstFailure);
      });
    }
    for (const signal of ['SIGINT', 'SIGTERM'] as const)
      process.once(signal, () => stopAll(signal));
  });

  return exitCode;
}

export function printEndpoints(config: AppConfig, log: (line: string) => void): void {
  const host = config.http.host === '0.0.0.0' ? '127.0.0.1' : config.http.host;
  const base = (port: number) => `http://${host}:${port}`;
  log(
    [
      'starting api, worker and recommender:',
      `  API          ${base(config.http.apiPort)}   (OpenAPI docs ${base(config.http.apiPort)}/docs)`,
      `  Worker       ${base(config.http.workerPort)}/health`,
      `  Recommender  ${base(config.http.recommenderPort)}/health`,
      'Ctrl-C stops all three.',
    ].join('\n'),
  );
}
