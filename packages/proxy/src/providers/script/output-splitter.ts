/**
 * @module
 * The stdout/stderr side of an attached script run: the start marker line at the head of stdout
 * (with the pid of a direct run, `script-command.ts`) becomes the `started` event, the rest
 * becomes text events.
 */
import { StringDecoder } from 'node:string_decoder';

import type { ProviderContext } from '../provider.ts';
import { STARTED_MARKER } from './script-command.ts';

const MARKER = STARTED_MARKER.trim();
/** The start marker line, with the pid a direct run reports. */
const MARKER_LINE = new RegExp(`^${MARKER}(?: (\\d{1,10}))?\n`);
/** What the head of stdout can be while the marker line is still arriving. */
const MARKER_HEAD = new RegExp(`^${MARKER}(?: \\d{0,10})?$`);
/** The longest marker line: the marker, a space, ten digits and the newline. */
const MARKER_MAX = MARKER.length + 12;

/**
 * Strips the start marker line from the head of stdout (emitting `started`, and taking the pid
 * of a direct run from it) and turns both streams into text events, decoding UTF-8 across chunk
 * boundaries.
 * @internal
 */
export class OutputSplitter {
  started = false;
  readonly pid: Promise<number | undefined>;
  readonly #context: Pick<ProviderContext, 'emit'>;
  readonly #out = new StringDecoder('utf8');
  readonly #err = new StringDecoder('utf8');
  #head: Buffer | undefined = Buffer.alloc(0);
  #resolvePid: (pid: number | undefined) => void = () => undefined;

  constructor(context: Pick<ProviderContext, 'emit'>) {
    this.#context = context;
    this.pid = new Promise((resolve) => (this.#resolvePid = resolve));
  }

  stdout(chunk: Buffer): void {
    if (this.#head !== undefined) {
      const head = Buffer.concat([this.#head, chunk]);
      const text = head.toString('latin1', 0, MARKER_MAX);
      const line = MARKER_LINE.exec(text);
      if (line === null && (MARKER.startsWith(text) || MARKER_HEAD.test(text))) {
        this.#head = head;
        return;
      }
      this.#head = undefined;
      if (line !== null) {
        this.started = true;
        // Only a process group of its own is signalled (`kill -- -1` would mean every process of the user).
        const pid = line[1] === undefined ? undefined : Number(line[1]);
        this.#resolvePid(pid !== undefined && pid > 1 ? pid : undefined);
        this.#context.emit('started', '');
        chunk = head.subarray(line[0].length);
      } else {
        this.#resolvePid(undefined);
        chunk = head;
      }
      if (chunk.length === 0) return;
    }
    const text = this.#out.write(chunk);
    if (text) this.#context.emit('stdout', text);
  }

  stderr(chunk: Buffer): void {
    const text = this.#err.write(chunk);
    if (text) this.#context.emit('stderr', text);
  }

  end(): void {
    if (this.#head !== undefined && this.#head.length > 0) {
      const text = this.#out.write(this.#head);
      if (text) this.#context.emit('stdout', text);
    }
    this.#head = undefined;
    this.#resolvePid(undefined);
    const out = this.#out.end();
    if (out) this.#context.emit('stdout', out);
    const err = this.#err.end();
    if (err) this.#context.emit('stderr', err);
  }
}
