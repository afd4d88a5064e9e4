/**
 * @module
 * Factories turning host data into template values: {@link defineRubyObject} for objects with an
 * explicit method table, {@link toRuby} for plain JSON.
 */
import { chargeSteps } from '../sandbox/limits.ts';
import { RubyHash, RubyObject, RubyRange, RubySymbol } from './ruby-value.ts';
import type { RubyTableMethod, RubyValue } from './ruby-value.ts';

function callHost(fn: (...args: RubyValue[]) => RubyValue, _self: null, args: RubyValue[]): RubyValue {
  return fn(...args);
}

/**
 * Expose a host object to templates. Only the listed methods are callable (names may end in
 * `?` or `!`); each receives the evaluated arguments and must return a {@link RubyValue}.
 * A `to_s` method, when present, is used for `<%= obj %>`.
 * @example
 * const domain = defineRubyObject('Domain', { name: () => 'example.com', to_s: () => 'example.com' });
 */
export function defineRubyObject(className: string, methods: Record<string, (...args: RubyValue[]) => RubyValue>): RubyObject {
  const table = new Map<string, RubyTableMethod<null>>();
  for (const name of Object.keys(methods)) {
    const fn = methods[name];
    if (typeof fn !== 'function') throw new TypeError(`method '${name}' of ${className} is not a function`);
    table.set(name, callHost.bind(null, fn));
  }
  return new RubyObject(className, table, null);
}

/**
 * Convert plain JSON data into template values: objects become {@link RubyHash}es with string
 * keys, arrays stay arrays. Values that already are Ruby values pass through.
 * @throws TypeError for functions, symbols and other non-JSON values.
 */
export function toRuby(json: unknown, depth = 0): RubyValue {
  if (depth > 100) throw new TypeError('value nested too deeply');
  if (json === null || json === undefined) return null;
  switch (typeof json) {
    case 'string':
    case 'boolean':
      return json;
    case 'number':
      return json;
    case 'bigint':
      return Number(json);
    case 'object':
      break;
    default:
      throw new TypeError(`cannot convert a ${typeof json} to a Ruby value`);
  }
  // Charged to the running render (parse_json of template text), one step per element.
  if (Array.isArray(json)) {
    chargeSteps(json.length + 1);
    return json.map((x) => toRuby(x, depth + 1));
  }
  if (json instanceof RubyHash || json instanceof RubySymbol || json instanceof RubyRange || json instanceof RubyObject) return json;
  if (json instanceof Date) return json.toISOString();
  const proto: unknown = Object.getPrototypeOf(json);
  if (proto !== Object.prototype && proto !== null) throw new TypeError('only plain objects can be converted to a Ruby hash');
  const h = new RubyHash();
  const entries = Object.entries(json);
  chargeSteps(entries.length + 1);
  for (const [k, v] of entries) h.set(k, toRuby(v, depth + 1));
  return h;
}
