/**
 * @module
 * The browsable API page (`GET /apidoc`): every resource with its methods, routes and params, from
 * the apipie document. Static HTML, every text escaped, no script.
 */
import type { ApipieDoc, ApipieParam } from './apidoc.ts';

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
/** apipie descriptions are HTML made by `apidoc.ts` from escaped text: shown as text again. */
const plain = (html: string) => html.replace(/<\/?p>/g, '').trim();

function paramRows(params: readonly ApipieParam[], out: string[]): void {
  for (const p of params) {
    out.push(`<tr><td><code>${escape(p.full_name)}</code></td><td>${p.required ? 'required' : 'optional'}${p.allow_nil ? ', nil allowed' : ''}</td><td>${escape(p.expected_type)}</td><td>${plain(p.description)}</td></tr>`);
    if (p.params) paramRows(p.params, out);
  }
}

/** The page for `doc`. */
export function renderApidocPage(doc: ApipieDoc): string {
  const out: string[] = [
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Remex API v2</title>',
    '<style>body{font-family:sans-serif;margin:2em;max-width:70em}table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left;vertical-align:top}code{font-size:.95em}</style></head><body>',
    '<h1>Remex API v2</h1><p>Foreman-compatible. Machine-readable: <a href="/apidoc/v2.json">/apidoc/v2.json</a> (apipie), <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3.1).</p>',
  ];
  const resources = Object.entries(doc.docs.resources).sort(([a], [b]) => a.localeCompare(b));
  out.push(`<ul>${resources.map(([name]) => `<li><a href="#${escape(name)}">${escape(name)}</a></li>`).join('')}</ul>`);
  for (const [name, resource] of resources) {
    out.push(`<h2 id="${escape(name)}">${escape(name)}</h2>`);
    for (const m of resource.methods) {
      out.push(`<h3>${escape(name)}#${escape(m.name)}</h3><ul>`);
      for (const a of m.apis) out.push(`<li><code>${escape(a.http_method)} ${escape(a.api_url)}</code> — ${escape(a.short_description)}</li>`);
      out.push('</ul>');
      if (m.params.length > 0) {
        out.push('<table><tr><th>param</th><th></th><th>type</th><th>description</th></tr>');
        paramRows(m.params, out);
        out.push('</table>');
      }
    }
  }
  out.push('</body></html>');
  return out.join('\n');
}
