/**
 * @module
 * Gathers the messages of one turn of the event loop into one `postMessage`: a 1,000-host
 * launch or a burst of output crosses between threads as a few arrays, not thousands of
 * messages (each costs a structured clone and a wake-up of the other thread).
 */

/** Queues messages and posts them as one array after the current turn of the event loop. */
export class MessageBatcher<T> {
  readonly #post: (batch: T[]) => void;
  #queue: T[] = [];
  #scheduled = false;

  /** @param post - sends one batch (e.g. `port.postMessage`) */
  constructor(post: (batch: T[]) => void) {
    this.#post = post;
  }

  /** Queues `message`; it is posted with the others of this turn. */
  send(message: T): void {
    this.#queue.push(message);
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => this.flush());
  }

  /** Posts what is queued now. */
  flush(): void {
    this.#scheduled = false;
    if (this.#queue.length === 0) return;
    const batch = this.#queue;
    this.#queue = [];
    this.#post(batch);
  }
}
