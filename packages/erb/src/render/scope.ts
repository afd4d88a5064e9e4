/**
 * @module
 * Local-variable scopes. A block gets a child scope: it sees and assigns the outer variables,
 * and its own new variables disappear when it returns (Ruby semantics).
 */
import type { RubyValue } from '../values/ruby-value.ts';

/** One level of local variables. */
export class Scope {
  readonly vars = new Map<string, RubyValue>();
  readonly parent: Scope | null;
  constructor(parent: Scope | null) {
    this.parent = parent;
  }
  /** Value of a variable (nil when declared but never assigned, as Ruby does). */
  get(name: string): RubyValue {
    const v = this.vars.get(name);
    if (v !== undefined) return v;
    if (this.vars.has(name)) return null;
    return this.parent ? this.parent.get(name) : null;
  }
  /** Assign to the nearest scope that has the variable, else define it here. */
  set(name: string, value: RubyValue): void {
    if (this.vars.has(name) || !this.parent || !this.parent.#assignExisting(name, value)) this.vars.set(name, value);
  }

  #assignExisting(name: string, value: RubyValue): boolean {
    if (this.vars.has(name)) {
      this.vars.set(name, value);
      return true;
    }
    return this.parent ? this.parent.#assignExisting(name, value) : false;
  }
}

/** `break` unwinding to the loop or the method call that received the block. */
export class BreakSignal extends Error {
  readonly value: RubyValue;
  /** The block function that was left, set when the signal leaves the block body. */
  tag: unknown = undefined;
  constructor(value: RubyValue) {
    super('break');
    this.value = value;
  }
}

/** `next` unwinding to the end of the current block call or loop iteration. */
export class NextSignal extends Error {
  readonly value: RubyValue;
  constructor(value: RubyValue) {
    super('next');
    this.value = value;
  }
}
