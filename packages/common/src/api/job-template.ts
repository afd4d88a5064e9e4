/**
 * @module
 * `/api/job_templates` schemas (Foreman API v2: CRUD, import, clone, preview, revisions), used by
 * the server's routes and the CLI's client.
 */
import type { Static } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';

import { LooseBooleanSchema } from './bookmark.ts';
import { ListOf, ListQuerySchema } from './list.ts';
import { ForeignInputSetBaseSchema, ForeignInputSetBodySchema, ScalarTextSchema, TemplateInputBaseSchema, TemplateInputCreateSchema } from './template-input.ts';

/** Optional text: a string, or null for none. */
const Text = Type.Union([Type.String(), Type.Null()]);
/** An optional loose boolean (null keeps the default). */
const Flag = Type.Union([LooseBooleanSchema, Type.Null()]);

/** Who a template's jobs run as. */
const EffectiveUserAttributes = Type.Object({
  value: Type.Optional(ScalarTextSchema),
  current_user: Type.Optional(Flag),
  overridable: Type.Optional(Flag),
});

/** A list of items, or Rails' index map of them (`{"0": {...}}`). */
function Attributes<T extends Parameters<typeof Type.Array>[0]>(item: T, description: string) {
  return Type.Optional(Type.Union([Type.Array(item), Type.Record(Type.String(), item)], { description }));
}

/** Attributes of a job template body. */
const templateAttributes = {
  description: Type.Optional(ScalarTextSchema),
  description_format: Type.Optional(Text),
  job_category: Type.Optional(Text),
  provider_type: Type.Optional(Type.Union([Type.String({ description: 'script (or SSH)' }), Type.Null()])),
  snippet: Type.Optional(Flag),
  locked: Type.Optional(Flag),
  effective_user_attributes: Type.Optional(EffectiveUserAttributes),
  effective_user: Type.Optional(EffectiveUserAttributes),
  execution_timeout_interval: Type.Optional(Type.Union([Type.Integer(), Type.String({ pattern: '^-?[0-9]*$' }), Type.Null()], { description: 'Seconds' })),
  template_inputs_attributes: Attributes(TemplateInputCreateSchema, 'Inputs (synced by name: missing ones are removed)'),
  template_inputs: Attributes(TemplateInputCreateSchema, 'Same as template_inputs_attributes'),
  foreign_input_sets_attributes: Attributes(ForeignInputSetBodySchema, 'Foreign input sets (replace the existing ones)'),
  foreign_input_sets: Attributes(ForeignInputSetBodySchema, 'Same as foreign_input_sets_attributes'),
};

/** Body of `POST /api/job_templates` (inside `job_template`, or bare). */
export const JobTemplateCreateSchema = Type.Object({
  name: Type.String({ pattern: '\\S', description: 'Unique template name' }),
  template: Type.String({ description: 'ERB text' }),
  ...templateAttributes,
});

/** Body of `PUT /api/job_templates/:id`: what it names changes. */
export const JobTemplateUpdateSchema = Type.Object({
  name: Type.Optional(Type.Union([Type.String({ pattern: '\\S' }), Type.Null()])),
  template: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  ...templateAttributes,
});

/** Body of `POST /api/job_templates/:id/clone`. */
export const JobTemplateCloneSchema = Type.Object({ name: Type.String({ pattern: '\\S', description: 'Name of the copy' }) });

/** Body of `POST /api/job_templates/import`. */
export const JobTemplateImportSchema = Type.Object({
  template: Type.Optional(Text),
  overwrite: Type.Optional(Flag),
  options: Type.Optional(
    Type.Object(
      {
        associate: Type.Optional(Type.Union([Type.String({ description: 'new, always or never' }), Type.Null()])),
        lock: Type.Optional(Flag),
        default: Type.Optional(Flag),
        force: Type.Optional(Flag),
      },
      { description: "Foreman's import options" },
    ),
  ),
});

/** Body of `POST /api/job_templates/:id/preview`. */
export const JobTemplatePreviewSchema = Type.Object({
  template: Type.Optional(Type.Union([Type.String({ description: 'Unsaved text to render instead' }), Type.Null()])),
  host_id: Type.Optional(Type.Union([Type.Integer(), Type.String(), Type.Null()], { description: 'Host (id or name); none renders the generic preview' })),
  host: Type.Optional(Type.Union([Type.Integer(), Type.String(), Type.Null()])),
  inputs: Type.Optional(Type.Unknown({ description: 'Input name → value' })),
});

/** Query of `GET /api/job_templates/revision`. */
export const JobTemplateRevisionQuerySchema = Type.Object({ version: Type.Optional(Type.String({ description: 'Revision id' })) });

/** `GET /api/job_templates/:id/revisions`: the list query. */
export const JobTemplateRevisionsQuerySchema = ListQuerySchema;

/** A job template as lists show it. */
export const JobTemplateSummarySchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  job_category: Type.String(),
  provider_type: Type.String(),
  snippet: Type.Boolean(),
  locked: Type.Boolean(),
  default: Type.Boolean(),
  description_format: Text,
  cloned_from_id: Type.Union([Type.Integer(), Type.Null()]),
  created_at: Type.String(),
  updated_at: Type.String(),
});

/** A job template with its inputs, foreign input sets and feature (`GET /api/job_templates/:id`). */
export const JobTemplateSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  job_category: Type.String(),
  description: Text,
  description_format: Text,
  provider_type: Type.String(),
  template: Type.String(),
  snippet: Type.Boolean(),
  locked: Type.Boolean(),
  default: Type.Boolean(),
  execution_timeout_interval: Type.Union([Type.Integer(), Type.Null()]),
  cloned_from_id: Type.Union([Type.Integer(), Type.Null()]),
  effective_user: Type.Object({ value: Text, current_user: Type.Boolean(), overridable: Type.Boolean() }),
  template_inputs: Type.Array(TemplateInputBaseSchema),
  foreign_input_sets: Type.Array(ForeignInputSetBaseSchema),
  created_at: Type.String(),
  updated_at: Type.String(),
  feature: Type.Union([Type.String({ description: 'Label of the remote execution feature it provides' }), Type.Null()]),
});

/** `GET /api/job_templates`. */
export const JobTemplateListSchema = ListOf(JobTemplateSummarySchema);

/** A stored version of a template's text. */
export const TemplateRevisionSchema = Type.Object({
  id: Type.Integer(),
  version: Type.Integer(),
  job_template_id: Type.Integer(),
  template_name: Type.String(),
  template: Type.String(),
  action: Type.String(),
  user: Text,
  /** The audit of the change that made this revision (null for revisions of the shipped-template sync). */
  audit_id: Type.Optional(Type.Union([Type.Integer(), Type.Null()])),
  created_at: Type.String(),
});

/** `GET /api/job_templates/:id/revisions`. */
export const TemplateRevisionListSchema = ListOf(TemplateRevisionSchema);

/** Body of a job template create. */
export type JobTemplateCreate = Static<typeof JobTemplateCreateSchema>;
/** Body of a job template update. */
export type JobTemplateUpdate = Static<typeof JobTemplateUpdateSchema>;
/** Body of a job template import. */
export type JobTemplateImport = Static<typeof JobTemplateImportSchema>;
/** Body of a job template preview. */
export type JobTemplatePreview = Static<typeof JobTemplatePreviewSchema>;
/** A job template in a list. */
export type JobTemplateSummary = Static<typeof JobTemplateSummarySchema>;
/** A job template. */
export type JobTemplate = Static<typeof JobTemplateSchema>;
/** Body of a job template clone. */
export type JobTemplateClone = Static<typeof JobTemplateCloneSchema>;
/** A template revision. */
export type TemplateRevision = Static<typeof TemplateRevisionSchema>;
