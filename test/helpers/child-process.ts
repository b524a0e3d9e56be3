import { spawn } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
/** tsx's loader, given to node directly: one process per run instead of the tsx CLI's two (it re-spawns node). */
const TSX_LOADER = pathToFileURL(path.join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

/**
 * Timeout for a test that starts child processes. Not an assertion: a safety net for a hung child. At load
 * average ~24 on two cores one Node start-up with tsx took over 10 s, and such a test starts several, so the
 * suite's 30 s default is far too short; four minutes still ends a real hang.
 */
export const CHILD_TEST_TIMEOUT_MS = 240_000;

export interface ChildResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a TypeScript entry point of the project (`bot/terminal/chat.ts`, `scripts/report.ts`…) in a child Node
 * process, feeding `input` on stdin, and resolves when it exits, without blocking the test worker's event loop.
 */
export function runTs(
  script: string,
  args: string[] = [],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {},
): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', TSX_LOADER, path.resolve(ROOT, script), ...args], {
      cwd: options.cwd ?? ROOT,
      env: options.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (status, signal) => resolve({ status, signal, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

export interface RunningTs {
  child: import('node:child_process').ChildProcessWithoutNullStreams;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** Resolves once the output matches (rejects if the process exits first). */
  waitForOutput(pattern: RegExp): Promise<void>;
  exited: Promise<{ status: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts a TypeScript entry point that keeps running (`bot/main.ts`); the test ends it (stdin, a signal). */
export function startTs(script: string, args: string[] = [], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): RunningTs {
  const child = spawn(process.execPath, ['--import', TSX_LOADER, path.resolve(ROOT, script), ...args], {
    cwd: options.cwd ?? ROOT,
    env: options.env ?? process.env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: string) => {
    output += chunk;
    for (const listener of listeners) listener();
  };
  child.stdout.setEncoding('utf8').on('data', onData);
  child.stderr.setEncoding('utf8').on('data', onData);
  const exited = new Promise<{ status: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (status, signal) => resolve({ status, signal })),
  );
  return {
    child,
    output: () => output,
    exited,
    waitForOutput(pattern) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!pattern.test(output)) return;
          listeners.delete(check);
          resolve();
        };
        listeners.add(check);
        check();
        void exited.then(() => {
          if (listeners.delete(check)) reject(new Error(`exited before printing ${pattern}:\n${output}`));
        });
      });
    },
  };
}
