/**
 * @module
 * Gathers the messages of about a millisecond into one `postMessage`: a 1,000-host launch or a
 * burst of output crosses between threads as a few arrays, not thousands of messages (each
 * costs a structured clone and a wake-up of the other thread). Flushing after every turn of the
 * event loop instead cost measurably more CPU per host at 10,000 hosts (ADR 0025); a
 * millisecond is nothing beside an SSH round trip.
 */

/** Queues messages and posts them as one array a millisecond after the first one. */
export class MessageBatcher<T> {
  readonly #post: (batch: T[]) => void;
  #queue: T[] = [];
  #scheduled = false;

  /** @param post - sends one batch (e.g. `port.postMessage`) */
  constructor(post: (batch: T[]) => void) {
    this.#post = post;
  }

  /** Queues `message`; it is posted with the others queued within the same millisecond. */
  send(message: T): void {
    this.#queue.push(message);
    if (this.#scheduled) return;
    this.#scheduled = true;
    setTimeout(() => this.flush(), 1);
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
