/**
 * @module
 * Error classes of the ERB engine. Every error carries the template name, line, column and an
 * excerpt with a caret (LiquidJS `util/error.ts` style), all repeated in `.message`; `.reason` holds
 * the bare message (e.g. what `render_error` was given).
 */
import type { SourceFile } from './tokens/source-file.ts';

/** Common base of {@link ErbSyntaxError} and {@link ErbRenderError}. */
export class ErbError extends Error {
  /** The bare message without location, e.g. `undefined method 'foo' for String`. */
  readonly reason: string;
  /** Name of the template the error happened in (undefined until located). */
  templateName: string | undefined;
  /** 1-based line (undefined until located). */
  line: number | undefined;
  /** 1-based column (undefined until located). */
  col: number | undefined;
  /** Source lines around the error with a caret under the column. */
  excerpt: string | undefined;

  constructor(reason: string, options?: { cause?: unknown }) {
    super(reason, options);
    this.name = 'ErbError';
    this.reason = reason;
  }

  /** True once a location has been attached. */
  get located(): boolean {
    return this.line !== undefined;
  }

  /** @internal Attach a location (first one wins) and rebuild `.message`. */
  locate(file: SourceFile, offset: number): this {
    if (this.located) return this;
    const { line, col } = file.position(offset);
    this.templateName = file.name;
    this.line = line;
    this.col = col;
    this.excerpt = file.excerpt(line, col);
    this.message = `${this.reason}, template:${file.name}, line:${line}, col:${col}\n${this.excerpt}`;
    return this;
  }

  /** @internal Copy the location of another error (used when a nested parse error surfaces at render). */
  copyLocation(other: ErbError): this {
    this.templateName = other.templateName;
    this.line = other.line;
    this.col = other.col;
    this.excerpt = other.excerpt;
    this.message = other.message;
    return this;
  }
}

/** The template could not be tokenized or parsed (or uses a construct the sandbox forbids). */
export class ErbSyntaxError extends ErbError {
  constructor(reason: string, options?: { cause?: unknown }) {
    super(reason, options);
    this.name = 'ErbSyntaxError';
  }
}

/** Rendering failed: unknown method, wrong argument, exceeded limit, failing macro, … */
export class ErbRenderError extends ErbError {
  constructor(reason: string, options?: { cause?: unknown }) {
    super(reason, options);
    this.name = 'ErbRenderError';
  }
}

/** Raised by a template on purpose, through Foreman's `render_error(message)` (or `raise`). */
export class ErbUserError extends ErbRenderError {
  constructor(reason: string, options?: { cause?: unknown }) {
    super(reason, options);
    this.name = 'ErbUserError';
  }
}
