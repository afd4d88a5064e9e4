/**
 * @module
 * `@host` for templates: a {@link RubyObject} exposing the `Host::Managed::Jail` methods the
 * shipped templates use (name, shortname, ip, ip6, domain, hostgroup, operatingsystem/os,
 * subnet, params, facts, facts_hash, param_true?, param_false?, comment). The method tables are
 * shared; per host only a small state object is allocated and associated objects are built lazily.
 */
import { toS } from '../values/conversions.ts';
import { RubyHash, RubyObject } from '../values/ruby-value.ts';
import type { RubyTableMethod, RubyValue } from '../values/ruby-value.ts';
import { castToBool } from './foreman-helpers.ts';
import type { HostData } from './job-template-types.ts';

type Os = NonNullable<HostData['operatingsystem']>;
type Hostgroup = NonNullable<HostData['hostgroup']>;
type Subnet = NonNullable<HostData['subnet']>;

interface HostState {
  readonly data: HostData;
  os?: RubyObject | null;
  hostgroup?: RubyObject | null;
  domain?: RubyObject | null;
  subnet?: RubyObject | null;
  params?: RubyHash;
  facts?: RubyHash;
}

function frozenHash(rec: Readonly<Record<string, string>>): RubyHash {
  const h = new RubyHash();
  for (const k of Object.keys(rec)) h.set(k, rec[k] ?? null);
  Object.freeze(h);
  return h;
}

function maskToCidr(mask: string): number | null {
  const parts = mask.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return null;
  return parts.reduce((n, p) => n + p.toString(2).replace(/0/g, '').length, 0);
}

const release = (os: Os): string => (os.minor ? `${os.major}.${os.minor}` : os.major);
const osTitle = (os: Os): string => `${os.name} ${release(os)}`;

const OS_METHODS = new Map<string, RubyTableMethod<Os>>([
  ['name', (os) => os.name],
  ['family', (os) => os.family],
  ['major', (os) => os.major],
  ['minor', (os) => os.minor],
  ['release', (os) => release(os)],
  ['title', (os) => osTitle(os)],
  ['to_label', (os) => osTitle(os)],
  ['to_s', (os) => osTitle(os)],
]);

const HOSTGROUP_METHODS = new Map<string, RubyTableMethod<Hostgroup>>([
  ['name', (hg) => hg.name],
  ['title', (hg) => hg.title],
  ['to_label', (hg) => hg.title],
  ['to_s', (hg) => hg.title],
]);

const DOMAIN_METHODS = new Map<string, RubyTableMethod<string>>([
  ['name', (d) => d],
  ['fullname', (d) => d],
  ['to_s', (d) => d],
]);

const SUBNET_METHODS = new Map<string, RubyTableMethod<Subnet>>([
  ['name', (s) => s.name],
  ['network', (s) => s.network],
  ['mask', (s) => s.mask],
  ['cidr', (s) => maskToCidr(s.mask)],
  ['network_address', (s) => `${s.network}/${maskToCidr(s.mask) ?? s.mask}`],
  ['to_s', (s) => s.name],
]);

function os(s: HostState): RubyObject | null {
  if (s.os === undefined) s.os = s.data.operatingsystem ? new RubyObject('Operatingsystem', OS_METHODS, s.data.operatingsystem) : null;
  return s.os;
}
function params(s: HostState): RubyHash {
  return (s.params ??= frozenHash(s.data.params));
}
function facts(s: HostState): RubyHash {
  return (s.facts ??= frozenHash(s.data.facts));
}
function paramBool(s: HostState, args: RubyValue[], want: boolean): RubyValue {
  const key = toS(args[0] ?? null);
  const p = params(s);
  if (!p.has(key)) return args[1] ?? false;
  return castToBool(p.get(key) ?? null) === want;
}

const HOST_METHODS = new Map<string, RubyTableMethod<HostState>>([
  ['name', (s) => s.data.name],
  ['fqdn', (s) => s.data.name],
  ['certname', (s) => s.data.name],
  ['shortname', (s) => s.data.name.split('.')[0] ?? s.data.name],
  ['to_s', (s) => s.data.name],
  ['to_label', (s) => s.data.name],
  ['ip', (s) => s.data.ip],
  ['ip6', (s) => s.data.ip6],
  ['comment', (s) => s.data.comment ?? null],
  ['domain', (s) => {
    if (s.domain === undefined) s.domain = s.data.domain ? new RubyObject('Domain', DOMAIN_METHODS, s.data.domain) : null;
    return s.domain;
  }],
  ['hostgroup', (s) => {
    if (s.hostgroup === undefined) s.hostgroup = s.data.hostgroup ? new RubyObject('Hostgroup', HOSTGROUP_METHODS, s.data.hostgroup) : null;
    return s.hostgroup;
  }],
  ['subnet', (s) => {
    if (s.subnet === undefined) s.subnet = s.data.subnet ? new RubyObject('Subnet', SUBNET_METHODS, s.data.subnet) : null;
    return s.subnet;
  }],
  ['operatingsystem', os],
  ['os', os],
  ['params', params],
  ['facts', facts],
  ['facts_hash', facts],
  ['param_true?', (s, args) => paramBool(s, args, true)],
  ['param_false?', (s, args) => paramBool(s, args, false)],
]);

/** Build the `@host` object for one render request (cheap: associated objects are created on first use). */
export function createHostObject(host: HostData): RubyObject {
  const state: HostState = { data: host };
  return new RubyObject('Host::Managed', HOST_METHODS, state);
}
