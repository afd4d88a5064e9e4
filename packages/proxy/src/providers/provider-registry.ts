/**
 * @module
 * Looks providers up by the task's `provider` value (case-insensitive, aliases included).
 */
import type { Provider } from './provider.ts';

/** The providers a proxy serves. */
export class ProviderRegistry {
  readonly #byName = new Map<string, Provider>();
  readonly #providers: Provider[] = [];

  constructor(providers: readonly Provider[]) {
    for (const provider of providers) {
      this.#providers.push(provider);
      for (const name of [provider.name, ...(provider.aliases ?? [])]) this.#byName.set(name.toLowerCase(), provider);
    }
  }

  /** The provider for `name`, if served. */
  get(name: string): Provider | undefined {
    return this.#byName.get(name.toLowerCase());
  }

  /** Names announced in `GET /features`. */
  names(): string[] {
    return this.#providers.map((p) => p.name);
  }
}
