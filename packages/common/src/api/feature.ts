/**
 * @module
 * `/api/remote_execution_features` schemas, used by the server's routes and the CLI's client.
 */
import type { Static } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';

import { ListOf } from './list.ts';

/** Body of `PUT /api/remote_execution_features/:id` (inside `remote_execution_feature`, or bare). */
export const FeatureUpdateSchema = Type.Object({
  job_template_id: Type.Union([Type.Integer(), Type.String(), Type.Null()], { description: 'Id or name of the job template; null or empty unassigns' }),
});

/** A remote execution feature as the API shows it. */
export const FeatureSchema = Type.Object({
  id: Type.Integer(),
  label: Type.String(),
  name: Type.String(),
  description: Type.Union([Type.String(), Type.Null()]),
  job_template_id: Type.Union([Type.Integer(), Type.Null()]),
  job_template_name: Type.Union([Type.String(), Type.Null()]),
  host_action_button: Type.Boolean(),
  provided_input_names: Type.Array(Type.String()),
  created_at: Type.String(),
  updated_at: Type.String(),
});

/** `GET /api/remote_execution_features`. */
export const FeatureListSchema = ListOf(FeatureSchema);

/** A remote execution feature. */
export type Feature = Static<typeof FeatureSchema>;
/** A page of features. */
export type FeatureList = Static<typeof FeatureListSchema>;
/** Body of a feature update. */
export type FeatureUpdate = Static<typeof FeatureUpdateSchema>;
