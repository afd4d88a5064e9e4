/**
 * @module
 * `@host` for templates: a {@link RubyObject} exposing the `Host::Managed::Jail` methods the
 * shipped templates use (name, shortname, ip, ip6, domain, hostgroup, operatingsystem/os,
 * subnet, params, facts, facts_hash, param_true?, param_false?, comment).
 */
import { castToBool } from './foreman-helpers.ts';
import type { HostData } from './job-template-types.ts';
import { toS } from '../values/conversions.ts';
import { defineRubyObject } from '../values/factories.ts';
import { RubyHash } from '../values/ruby-value.ts';
import type { RubyObject, RubyValue } from '../values/ruby-value.ts';

function stringHash(rec: Readonly<Record<string, string>>): RubyHash {
  const h = new RubyHash();
  for (const k of Object.keys(rec)) h.set(k, rec[k] ?? null);
  return h;
}

function maskToCidr(mask: string): number | null {
  const parts = mask.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return null;
  return parts.reduce((n, p) => n + p.toString(2).replace(/0/g, '').length, 0);
}

/** Build the `@host` object (and its associated objects) once per render request. */
export function createHostObject(host: HostData): RubyObject {
  const os = host.operatingsystem;
  const osObj = os
    ? defineRubyObject('Operatingsystem', {
        name: () => os.name,
        family: () => os.family,
        major: () => os.major,
        minor: () => os.minor,
        release: () => (os.minor ? `${os.major}.${os.minor}` : os.major),
        title: () => `${os.name} ${os.minor ? `${os.major}.${os.minor}` : os.major}`,
        to_label: () => `${os.name} ${os.minor ? `${os.major}.${os.minor}` : os.major}`,
        to_s: () => `${os.name} ${os.minor ? `${os.major}.${os.minor}` : os.major}`,
      })
    : null;
  const hg = host.hostgroup;
  const hgObj = hg ? defineRubyObject('Hostgroup', { name: () => hg.name, title: () => hg.title, to_s: () => hg.title, to_label: () => hg.title }) : null;
  const domain = host.domain;
  const domainObj = domain ? defineRubyObject('Domain', { name: () => domain, fullname: () => domain, to_s: () => domain }) : null;
  const sn = host.subnet;
  const subnetObj = sn
    ? defineRubyObject('Subnet', {
        name: () => sn.name,
        network: () => sn.network,
        mask: () => sn.mask,
        cidr: () => maskToCidr(sn.mask),
        network_address: () => `${sn.network}/${maskToCidr(sn.mask) ?? sn.mask}`,
        to_s: () => sn.name,
      })
    : null;
  const params = stringHash(host.params);
  const facts = stringHash(host.facts);
  const shortname = host.name.split('.')[0] ?? host.name;
  const paramBool = (name: RubyValue, want: boolean, dflt: RubyValue): RubyValue => {
    const key = toS(name);
    if (!params.has(key)) return dflt ?? false;
    return castToBool(params.get(key) ?? null) === want;
  };
  return defineRubyObject('Host::Managed', {
    name: () => host.name,
    fqdn: () => host.name,
    certname: () => host.name,
    shortname: () => shortname,
    to_s: () => host.name,
    to_label: () => host.name,
    ip: () => host.ip,
    ip6: () => host.ip6,
    domain: () => domainObj,
    comment: () => host.comment ?? null,
    hostgroup: () => hgObj,
    operatingsystem: () => osObj,
    os: () => osObj,
    subnet: () => subnetObj,
    params: () => params,
    facts: () => facts,
    facts_hash: () => facts,
    'param_true?': (name, dflt = false) => paramBool(name ?? null, true, dflt),
    'param_false?': (name, dflt = false) => paramBool(name ?? null, false, dflt),
  });
}
