/**
 * @module
 * `remex-plugin-hello`: the example Remex plugin. It registers the `hello_world` remote
 * execution feature, ships the job template that implements it (the template's metadata header
 * says `feature: hello_world`, which maps it to the feature) and triggers jobs from code with
 * `composer.forFeature(label, hosts, inputs).trigger()`.
 *
 * Enable it with `REMEX_PLUGINS=remex-plugin-hello` (a comma list of package names or paths).
 */
import type { RemexPluginApi, TriggeredJob } from '@remex/server';

/** Label of the feature this plugin provides. */
export const HELLO_FEATURE = 'hello_world';

/** The job template shipped by the plugin (Foreman metadata header + ERB body). */
export const HELLO_TEMPLATE = `<%#
kind: job_template
name: Say Hello - Remex Plugin Hello
model: JobTemplate
job_category: Examples
description_format: Say %{greeting}
provider_type: script
feature: ${HELLO_FEATURE}
template_inputs:
- name: greeting
  description: What to say
  input_type: user
  required: true
%>
#!/bin/sh
echo "<%= input('greeting') %> from <%= @host.name %>"
`;

let api: RemexPluginApi | null = null;

/** Called by Remex at start: registers the feature and imports its template. */
export async function register(remex: RemexPluginApi): Promise<void> {
  await remex.registerFeature({
    label: HELLO_FEATURE,
    name: 'Say Hello',
    description: 'Prints a greeting on the host (example plugin)',
    providedInputs: ['greeting'],
    hostAction: true,
  });
  await remex.importTemplate(HELLO_TEMPLATE);
  remex.log.info('hello plugin registered');
  api = remex;
}

/**
 * Triggers a `hello_world` job on `hosts` (names or ids) from code.
 * @throws when the plugin was not registered by a running server
 */
export async function sayHello(hosts: ReadonlyArray<string | number>, greeting: string): Promise<TriggeredJob> {
  if (!api) throw new Error('remex-plugin-hello is not registered: add it to REMEX_PLUGINS');
  return api.composer.forFeature(HELLO_FEATURE, hosts, { greeting }).trigger();
}
