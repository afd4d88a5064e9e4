/**
 * @module
 * `@remex/erb`: a sandboxed ERB interpreter that runs Foreman job templates unchanged.
 * Pipeline: ERB scanner + Ruby lexer (`tokens/`) → parser (`parser/`) → immutable AST (`ast/`)
 * → interpreter (`render/`) over allow-listed builtins (`builtins/`) within hard limits
 * (`sandbox/`). Foreman's job-template rendering semantics live in `foreman/`.
 */
export { ErbRenderError, ErbSyntaxError, ErbUserError } from './errors.ts';
export type { ErbError } from './errors.ts';
export { DEFAULT_LIMITS } from './sandbox/limits.ts';
export type { ErbLimits } from './sandbox/limits.ts';
export { createTemplateCache, parseTemplate } from './render/template.ts';
export type { CompiledTemplate, ErbMacro, MacroCall, ParseOptions, RenderEnvironment, TemplateCache } from './render/template.ts';
export { RubyFloat, RubyHash, RubyObject, RubyRange, RubySymbol } from './values/ruby-value.ts';
export type { RubyValue } from './values/ruby-value.ts';
export { defineRubyObject, toRuby } from './values/factories.ts';
export { inspect, toS as rubyToS, isBlank } from './values/conversions.ts';
export { renderJobTemplate } from './foreman/render-job-template.ts';
export type {
  ForeignInputSetDefinition, HostData, JobTemplateRenderRequest, JobTemplateSource, TemplateInputDefinition,
} from './foreman/job-template-types.ts';
export { inputsWithForeign } from './foreman/input-resolver.ts';
export { castToBool, stripTemplateMetadata } from './foreman/foreman-helpers.ts';
export { shellEscape } from './builtins/string-methods.ts';
