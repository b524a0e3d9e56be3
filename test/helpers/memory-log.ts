import { Writable } from 'node:stream';

/** A stream that keeps everything pino writes, for tests that read the log. */
export function memoryLog() {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  const text = () => chunks.join('');
  const entries = () =>
    text()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { level: number; msg: string } & Record<string, unknown>);
  return { stream, text, entries };
}
