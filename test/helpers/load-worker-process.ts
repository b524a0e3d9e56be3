import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

/** test/fixtures/load-worker.ts: files citizens' reports through the engine and prints "filed <id>", then "done". */
const WORKER = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'load-worker.ts');

export interface LoadWorker {
  child: ChildProcess;
  /** Tracking ids the worker reported filed, in order. */
  filed: string[];
  done: boolean;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves once the predicate holds after a line from the worker; rejects if the worker exits first. */
  waitFor(predicate: () => boolean): Promise<void>;
}

/** Starts the load worker as a child process with `env` added to this process's environment. */
export function startLoadWorker(env: Record<string, string>): LoadWorker {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const waiters: Array<{ predicate: () => boolean; resolve: () => void }> = [];
  const worker: LoadWorker = {
    child,
    filed: [],
    done: false,
    exited: new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal }))),
    waitFor(predicate) {
      if (predicate()) return Promise.resolve();
      return new Promise((resolve, reject) => {
        waiters.push({ predicate, resolve });
        void worker.exited.then(() => (predicate() ? resolve() : reject(new Error('worker exited before the condition held'))));
      });
    },
  };
  readline.createInterface({ input: child.stdout! }).on('line', (line) => {
    if (line.startsWith('filed ')) worker.filed.push(line.slice(6));
    if (line === 'done') worker.done = true;
    for (const w of waiters) if (w.predicate()) w.resolve();
  });
  return worker;
}
