/**
 * @module
 * The output side of a command run on a terminal (`su` with a password, see
 * `buildTerminalRun`): stdout and stderr arrive merged; `su`'s password prompt is answered once
 * and kept out of the output; the start marker, printed by su's child once the password was
 * accepted, may follow whatever the target user's login shell printed first.
 */
import { StringDecoder } from 'node:string_decoder';

import { STARTED_MARKER } from './script-command.ts';

/** A prompt at the end of the text so far: a line that asks for a password and ends with `:`. */
const PROMPT = /(^|\n)([^\n]*[Pp]assword[^\n]*:[ \t]*)$/;
/** Text kept back (unsent) before the marker at most; beyond it the head is sent as output. */
const MAX_PENDING = 64 * 1024;

/** Where {@link TerminalOutput} sends what it finds. */
export interface TerminalSink {
  /** Output text (stdout and stderr merged by the terminal). */
  output(text: string): void;
  /** The start marker was seen (the password was accepted). */
  started(): void;
  /** Types `text` on the terminal. */
  type(text: string): void;
  /** The password was asked for a second time: it was refused; the command should be ended. */
  refused(): void;
}

/** Answers the password prompt of one terminal command and splits off the start marker. */
export class TerminalOutput {
  #started = false;
  #answered = false;
  /** The password was just typed: the line break the terminal prints for it is not output. */
  #afterAnswer = false;
  #pending = '';
  #lastLine = '';
  readonly #decoder = new StringDecoder('utf8');
  readonly #password: string;
  readonly #sink: TerminalSink;
  readonly #expectMarker: boolean;

  /**
   * @param expectMarker - false for a command without a marker (the kill): all is output
   */
  constructor(password: string, sink: TerminalSink, expectMarker = true) {
    this.#password = password;
    this.#sink = sink;
    this.#expectMarker = expectMarker;
  }

  /** Whether the marker was seen. */
  get started(): boolean {
    return this.#started;
  }

  /** Whether the password was typed. */
  get answered(): boolean {
    return this.#answered;
  }

  /** The last non-empty line of output before the marker (su's complaint when it refused). */
  get lastLine(): string {
    return this.#lastLine;
  }

  /** Takes a chunk of the terminal's output. */
  feed(chunk: Buffer): void {
    // With the `-onlcr` mode unset (no stty) lines end in CR LF.
    const text = this.#decoder.write(chunk).replace(/\r/g, '');
    if (text) this.#take(text);
  }

  /** The command ended: whatever is still held back is output. */
  end(): void {
    const rest = this.#decoder.end().replace(/\r/g, '');
    if (rest) this.#take(rest);
    this.#flush(this.#pending.length);
  }

  #take(text: string): void {
    if (this.#afterAnswer) {
      this.#afterAnswer = false;
      if (text.startsWith('\n')) text = text.slice(1);
      if (!text) return;
    }
    if (this.#started) {
      this.#sink.output(text);
      return;
    }
    this.#pending += text;
    if (this.#expectMarker) {
      const at = this.#findMarker();
      if (at !== -1) {
        this.#flush(at);
        this.#pending = this.#pending.slice(STARTED_MARKER.length);
        this.#started = true;
        this.#sink.started();
        this.#flush(this.#pending.length);
        return;
      }
    }
    const prompt = PROMPT.exec(this.#pending);
    if (prompt) {
      this.#pending = this.#pending.slice(0, prompt.index + (prompt[1] ?? '').length);
      if (this.#answered) {
        this.#sink.refused();
      } else {
        this.#answered = true;
        this.#afterAnswer = true;
        this.#sink.type(`${this.#password}\n`);
      }
    }
    // Hold back only what could still be the start of the marker or of a prompt line.
    const lastBreak = this.#pending.lastIndexOf('\n');
    if (this.#pending.length > MAX_PENDING) this.#flush(this.#pending.length - MAX_PENDING);
    else if (!this.#expectMarker && lastBreak !== -1) this.#flush(lastBreak + 1);
  }

  /** Index of the marker at a line start, or -1. */
  #findMarker(): number {
    let from = 0;
    for (;;) {
      const at = this.#pending.indexOf(STARTED_MARKER, from);
      if (at === -1 || at === 0 || this.#pending[at - 1] === '\n') return at;
      from = at + 1;
    }
  }

  /** Sends the first `length` characters held back as output. */
  #flush(length: number): void {
    const head = this.#pending.slice(0, length);
    this.#pending = this.#pending.slice(length);
    if (!head) return;
    if (!this.#started) {
      const line = head.split('\n').filter((l) => l.trim() !== '').pop();
      if (line !== undefined) this.#lastLine = line.trim();
    }
    this.#sink.output(head);
  }
}
