/**
 * @module
 * `/api/templates/:template_id/template_inputs` and `/api/templates/:template_id/foreign_input_sets`
 * schemas (Foreman core API shapes), used by the server's routes, its template import and the
 * CLI's client.
 */
import type { Static } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';

import { LooseBooleanSchema } from './bookmark.ts';
import { ListOf } from './list.ts';

/** `:template_id` of the nested routes: the template's id or name. */
export const TemplateParamsSchema = Type.Object({ template_id: Type.String({ minLength: 1, description: 'Job template id or name' }) });

/** `:template_id/…/:id` of one input or foreign input set. */
export const TemplateChildParamsSchema = Type.Object({
  template_id: Type.String({ minLength: 1, description: 'Job template id or name' }),
  id: Type.String({ minLength: 1, description: 'Id (an input also by name)' }),
});

/** Optional text: a string, or null for none. */
const Text = Type.Union([Type.String(), Type.Null()]);
/** An optional loose boolean (null keeps the default). */
const Flag = Type.Union([LooseBooleanSchema, Type.Null()]);
/** A scalar value given as text (numbers and booleans are taken as their text). */
export const ScalarTextSchema = Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]);

/** Attributes of a template input (create body, `template_inputs_attributes` item, metadata header entry). */
const inputAttributes = {
  description: Type.Optional(Text),
  input_type: Type.Optional(Type.Union([Type.String({ description: 'user, fact, variable or puppet_parameter (default user)' }), Type.Null()])),
  required: Type.Optional(Flag),
  advanced: Type.Optional(Flag),
  options: Type.Optional(Type.Union([Type.Array(Type.Union([Type.String(), Type.Number(), Type.Boolean()])), ScalarTextSchema], { description: 'Allowed values: a list, or newline-separated text' })),
  default: Type.Optional(ScalarTextSchema),
  default_value: Type.Optional(ScalarTextSchema),
  hidden_value: Type.Optional(Flag),
  value_type: Type.Optional(Text),
  fact_name: Type.Optional(Text),
  variable_name: Type.Optional(Text),
  puppet_class_name: Type.Optional(Text),
  puppet_parameter_name: Type.Optional(Text),
};

/** Body of `POST /api/templates/:template_id/template_inputs` (inside `template_input`, or bare). */
export const TemplateInputCreateSchema = Type.Object({
  name: Type.Union([Type.String({ pattern: '\\S' }), Type.Number()], { description: 'Input name, unique in the template' }),
  ...inputAttributes,
});

/** Body of `PUT /api/templates/:template_id/template_inputs/:id`: what it names changes. */
export const TemplateInputUpdateSchema = Type.Object({
  name: Type.Optional(Type.Union([Type.String({ pattern: '\\S' }), Type.Number()])),
  ...inputAttributes,
});

/** A template input as a job template shows it. */
export const TemplateInputBaseSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  description: Text,
  input_type: Type.String(),
  required: Type.Boolean(),
  advanced: Type.Boolean(),
  options: Text,
  default: Text,
  hidden_value: Type.Boolean(),
  value_type: Type.String(),
  fact_name: Text,
  variable_name: Text,
  puppet_class_name: Text,
  puppet_parameter_name: Text,
});

/** A template input as `/api/templates/:template_id/template_inputs` shows it. */
export const TemplateInputSchema = Type.Composite([TemplateInputBaseSchema, Type.Object({ template_id: Type.Integer(), resource_type: Type.Null() })]);

/** `GET /api/templates/:template_id/template_inputs`. */
export const TemplateInputListSchema = ListOf(TemplateInputSchema);

/** A template reference: its id, or its name. */
const TemplateRef = Type.Union([Type.Integer(), Type.String()]);

/** Attributes of a foreign input set. */
const setAttributes = {
  target_template_id: Type.Optional(Type.Union([TemplateRef, Type.Null()], { description: 'Template whose inputs are imported (id or name)' })),
  target_template: Type.Optional(Type.Union([TemplateRef, Type.Null()], { description: 'Same as target_template_id' })),
  template: Type.Optional(Type.Union([TemplateRef, Type.Null()], { description: 'Same as target_template_id (metadata headers)' })),
  include_all: Type.Optional(Flag),
  include: Type.Optional(ScalarTextSchema),
  exclude: Type.Optional(ScalarTextSchema),
  description: Type.Optional(ScalarTextSchema),
};

/** Body of a foreign input set create or update (inside `foreign_input_set`, or bare); an update keeps what it does not name. */
export const ForeignInputSetBodySchema = Type.Object(setAttributes);

/** A foreign input set as a job template shows it. */
export const ForeignInputSetBaseSchema = Type.Object({
  id: Type.Integer(),
  target_template_id: Type.Integer(),
  target_template_name: Text,
  include_all: Type.Boolean(),
  include: Text,
  exclude: Text,
  description: Text,
});

/** A foreign input set as `/api/templates/:template_id/foreign_input_sets` shows it. */
export const ForeignInputSetSchema = Type.Composite([ForeignInputSetBaseSchema, Type.Object({ template_id: Type.Integer() })]);

/** `GET /api/templates/:template_id/foreign_input_sets`. */
export const ForeignInputSetListSchema = ListOf(ForeignInputSetSchema);

/** Attributes of a template input (any of the input bodies). */
export type TemplateInputAttributes = Static<typeof TemplateInputUpdateSchema>;
/** Body of a template input create. */
export type TemplateInputCreate = Static<typeof TemplateInputCreateSchema>;
/** A template input. */
export type TemplateInput = Static<typeof TemplateInputSchema>;
/** A template input inside a job template. */
export type TemplateInputBase = Static<typeof TemplateInputBaseSchema>;
/** Body of a foreign input set create or update. */
export type ForeignInputSetBody = Static<typeof ForeignInputSetBodySchema>;
/** A foreign input set. */
export type ForeignInputSet = Static<typeof ForeignInputSetSchema>;
/** A foreign input set inside a job template. */
export type ForeignInputSetBase = Static<typeof ForeignInputSetBaseSchema>;

/** The text of a {@link ScalarTextSchema} value (null stays null). */
export function scalarText(value: Static<typeof ScalarTextSchema>): string | null {
  return value === null ? null : String(value);
}
