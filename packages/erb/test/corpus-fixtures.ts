/**
 * @module
 * Test fixtures: reads the Foreman template corpus from `../shared/foreman-templates/` (never
 * copied into the repo), turns each file's metadata header into a JobTemplateSource with a tiny
 * ad-hoc YAML reader (enough for these headers), and defines sample hosts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripTemplateMetadata } from '../src/index.ts';
import type { ForeignInputSetDefinition, HostData, JobTemplateSource, TemplateInputDefinition } from '../src/index.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
/** Corpus location, resolved from the repository root at test time (`REMEX_CORPUS_DIR` overrides it, e.g. in a git worktree). */
export const CORPUS_DIR = process.env.REMEX_CORPUS_DIR ?? path.resolve(repoRoot, '../shared/foreman-templates');

/** One corpus file. */
export interface CorpusFile {
  readonly dir: string;
  readonly file: string;
  readonly source: string;
}

/** All `.erb` files of the corpus. */
export function readCorpus(): CorpusFile[] {
  const out: CorpusFile[] = [];
  for (const dir of readdirSync(CORPUS_DIR, { withFileTypes: true })) {
    if (!dir.isDirectory()) continue;
    for (const file of readdirSync(path.join(CORPUS_DIR, dir.name)).sort()) {
      if (file.endsWith('.erb')) out.push({ dir: dir.name, file, source: readFileSync(path.join(CORPUS_DIR, dir.name, file), 'utf8') });
    }
  }
  return out;
}

function scalar(raw: string): string | boolean {
  const v = raw.trim();
  if (v.startsWith('"')) return JSON.parse(v.replace(/\\'/g, "'")) as string;
  if (v.startsWith("'")) return v.slice(1, -1).replace(/''/g, "'");
  if (v === 'true') return true;
  if (v === 'false') return false;
  return v;
}

type Item = Record<string, string | boolean>;

/** Parse the `<%# … %>` YAML header: top-level scalars plus lists of flat maps. */
export function parseHeader(source: string): { scalars: Item; lists: Record<string, Item[]> } {
  const m = /<%#([\s\S]+?)-?%>/.exec(source);
  if (!m) throw new Error('no metadata header');
  const scalars: Item = {};
  const lists: Record<string, Item[]> = {};
  let current: Item[] | null = null;
  for (const line of (m[1] ?? '').split('\n')) {
    if (!line.trim()) continue;
    const top = /^([A-Za-z_]+):\s*(.*)$/.exec(line);
    if (top) {
      const [, key = '', value = ''] = top;
      if (value === '') current = lists[key] = [];
      else {
        scalars[key] = scalar(value);
        current = null;
      }
      continue;
    }
    const item = /^(-| ) ([A-Za-z_]+):\s*(.*)$/.exec(line);
    if (item && current) {
      const [, dash, key = '', value = ''] = item;
      if (dash === '-') current.push({});
      const last = current[current.length - 1];
      if (last) last[key] = scalar(value);
    }
  }
  return { scalars, lists };
}

/** JobTemplateSource for a corpus file (inputs and foreign input sets from its header). */
export function toSource(source: string): JobTemplateSource {
  const { scalars, lists } = parseHeader(source);
  const inputs: TemplateInputDefinition[] = (lists.template_inputs ?? []).map((i) => ({
    name: String(i.name),
    input_type: String(i.input_type ?? 'user') as TemplateInputDefinition['input_type'],
    required: i.required === true,
    advanced: i.advanced === true,
    default: typeof i.default === 'string' ? i.default : null,
    options: typeof i.options === 'string' ? i.options.split(/\r?\n/) : null,
    description: typeof i.description === 'string' ? i.description : null,
  }));
  const sets: ForeignInputSetDefinition[] = (lists.foreign_input_sets ?? []).map((s) => ({
    target_template: String(s.template),
    include_all: s.include_all === undefined ? true : s.include_all === true,
    include: typeof s.include === 'string' ? s.include : '',
    exclude: typeof s.exclude === 'string' ? s.exclude : '',
  }));
  // Foreman stores the body without the metadata header (import strips it), so do the same.
  return { name: String(scalars.name), template: stripTemplateMetadata(source), inputs, foreign_input_sets: sets };
}

/** A registry of templates by name built from some corpus folders (later folders win). */
export function registry(...dirs: string[]): Map<string, JobTemplateSource> {
  const map = new Map<string, JobTemplateSource>();
  for (const f of readCorpus()) if (dirs.includes(f.dir)) {
    const s = toSource(f.source);
    map.set(s.name, s);
  }
  return map;
}

function host(name: string, family: string | null, osName: string, major: string, extra: Partial<HostData> = {}): HostData {
  return {
    id: 1,
    name,
    ip: '192.0.2.10',
    ip6: null,
    domain: name.split('.').slice(1).join('.'),
    hostgroup: { name: 'web', title: 'base/web' },
    operatingsystem: family === null ? null : { name: osName, family, major, minor: '0' },
    params: {},
    facts: {},
    ...extra,
  };
}

/** Sample hosts of each OS family the templates branch on. */
export const HOSTS = {
  debian: host('deb1.example.com', 'Debian', 'Debian', '12'),
  redhat7: host('rhel7.example.com', 'Redhat', 'RedHat', '7'),
  redhat9: host('rhel9.example.com', 'Redhat', 'RedHat', '9'),
  redhat6: host('rhel6.example.com', 'Redhat', 'RedHat', '6'),
  suse: host('sles.example.com', 'Suse', 'SLES', '15'),
  windows: host('win.example.com', 'Windows', 'Windows', '10'),
  noOs: host('bare.example.com', null, '', ''),
} as const;
