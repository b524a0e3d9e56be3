import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { Db } from '../../db/client.ts';
import { INTAKE, citizenKey } from '../fixtures/load-intake.ts';

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

/**
 * What both crash tests require after a kill and the survivors' run: exactly one case per citizen with unique
 * tracking ids, every conversation back at idle with one report and one saved version per message, every message
 * marked processed once. Returns the cases for the delivery checks that follow.
 */
export async function expectEveryCitizenFiledOnce(db: Db, citizens: number): Promise<Array<{ id: string; trackingId: string; conversationKey: string }>> {
  const cases = await db.case.findMany({ select: { id: true, trackingId: true, conversationKey: true } });
  expect(cases, 'nothing filed is lost or filed twice').toHaveLength(citizens);
  expect(new Set(cases.map((c) => c.conversationKey)).size).toBe(citizens);
  expect(new Set(cases.map((c) => c.trackingId)).size).toBe(citizens);
  for (let i = 0; i < citizens; i++) {
    const conversation = await db.conversation.findUniqueOrThrow({ where: { key: citizenKey(i) } });
    expect(conversation.state).toMatchObject({ step: 'idle', draftSeq: 1 });
    // One saved version per message: no message applied twice, none lost between processes.
    expect(conversation.version).toBe(INTAKE.length);
  }
  expect(await db.processedMessage.count()).toBe(citizens * INTAKE.length);
  return cases;
}
