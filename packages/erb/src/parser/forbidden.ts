/**
 * @module
 * Names the sandbox rejects at parse time, with a clear message, before anything runs:
 * reflection and meta-programming methods, process/file access, and every constant except the
 * core class names usable with `is_a?` / `case … when`.
 */

/** Method names that can never be called from a template. */
export const FORBIDDEN_METHODS: ReadonlySet<string> = new Set([
  'send', '__send__', 'public_send', 'instance_eval', 'instance_exec', 'class_eval', 'class_exec', 'module_eval',
  'module_exec', 'instance_variable_get', 'instance_variable_set', 'instance_variables', 'instance_variable_defined?',
  'remove_instance_variable', 'class_variable_get', 'class_variable_set', 'class_variables', 'const_get', 'const_set',
  'const_missing', 'eval', 'system', 'exec', 'spawn', 'fork', 'syscall', 'open', 'popen', 'require', 'require_relative',
  'load', 'autoload', 'define_method', 'define_singleton_method', 'method', 'methods', 'public_method',
  'public_methods', 'private_methods', 'singleton_method', 'singleton_methods', 'instance_method', 'binding',
  'constructor', '__proto__', 'prototype', '__defineGetter__', '__defineSetter__', '__lookupGetter__',
  '__lookupSetter__', 'exit', 'exit!', 'abort', 'at_exit', 'trap', 'sleep', 'remove_method', 'undef_method',
  'alias_method', 'extend', 'include', 'prepend_features', 'method_missing', 'respond_to_missing?', 'singleton_class',
  'object_id', '__id__', 'display', 'puts', 'print', 'p', 'pp', 'printf', 'putc', 'gets', 'readline', 'readlines',
  'select', 'caller', 'caller_locations', 'set_trace_func', 'trace_var', 'callcc', 'throw', 'catch', 'srand',
  'global_variables', 'local_variables', 'instance_variable', 'ancestors', 'superclass', 'allocate', 'new',
]);

/** Kernel-level names from FORBIDDEN_METHODS that are fine as *receiver* methods (e.g. `list.select { }`). */
export const RECEIVER_ALLOWED: ReadonlySet<string> = new Set(['select', 'include', 'display', 'open', 'p', 'print']);

/** Constants a template may name: core classes for `is_a?` and `case … when` (and `Regexp.escape`). */
export const ALLOWED_CONSTANTS: ReadonlySet<string> = new Set([
  'String', 'Symbol', 'Integer', 'Float', 'Numeric', 'Array', 'Hash', 'NilClass', 'TrueClass', 'FalseClass', 'Range',
  'Regexp', 'MatchData',
]);
