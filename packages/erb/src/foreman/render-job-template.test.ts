import { describe, expect, it } from 'vitest';
import { ErbRenderError, ErbUserError } from '../errors.ts';
import type { HostData, JobTemplateRenderRequest, JobTemplateSource, TemplateInputDefinition } from './job-template-types.ts';
import { renderJobTemplate } from './render-job-template.ts';
import { stripTemplateMetadata } from './foreman-helpers.ts';

const host: HostData = {
  id: 7, name: 'web1.example.com', ip: '192.0.2.1', ip6: '2001:db8::1', domain: 'example.com', comment: 'front',
  hostgroup: { name: 'web', title: 'prod/web' }, operatingsystem: { name: 'Debian', family: 'Debian', major: '12', minor: '4' },
  subnet: { name: 'lan', network: '192.0.2.0', mask: '255.255.255.0' },
  params: { enabled: 'yes', disabled: 'false', 'apache::port': '8080', role: 'web' },
  facts: { 'os::release': '12.4', memorysize_mb: '3000' },
};
const inputs: TemplateInputDefinition[] = [
  { name: 'cmd', input_type: 'user', required: true },
  { name: 'opt', input_type: 'user', default: 'dflt' },
  { name: 'free', input_type: 'user' },
  { name: 'rel', input_type: 'fact', fact_name: 'os::release' },
  { name: 'role', input_type: 'variable', variable_name: 'role' },
  { name: 'port', input_type: 'puppet_parameter', puppet_class_name: 'apache', puppet_parameter_name: 'port' },
];
const tpl = (template: string, extra: Partial<JobTemplateSource> = {}): JobTemplateSource => ({ name: 'T', template, inputs, foreign_input_sets: [], ...extra });
const run = (template: string, over: Partial<JobTemplateRenderRequest> = {}, templates: JobTemplateSource[] = []): string =>
  renderJobTemplate({
    template: tpl(template), lookupTemplate: (n) => templates.find((t) => t.name === n), host, inputValues: { cmd: 'ls' },
    preview: false, currentUser: 'alice', ...over,
  });

describe('input()', () => {
  it('resolves every input type', () => {
    expect(run('<%= input("cmd") %>|<%= input(:opt) %>|<%= input("free") %>|<%= input("rel") %>|<%= input("role") %>|<%= input("port") %>')).toBe('ls|dflt||12.4|web|8080');
  });
  it('fails for a missing required value and for an unknown input', () => {
    expect(() => run('<%= input("cmd") %>', { inputValues: {} })).toThrow("Value for required input 'cmd' was not specified");
    expect(() => run('<%= input("cmd") %>', { inputValues: { cmd: '  ' } })).toThrow("Value for required input 'cmd' was not specified");
    expect(() => run('<%= input("nope") %>')).toThrow('Rendering failed, no input with name nope for input macro found');
  });
  it('fails the render of a host without the fact of a fact input, unless the input has a default', () => {
    const bare = { ...host, facts: {} };
    expect(() => run('<%= input("rel") %>', { host: bare })).toThrow("Fact 'os::release' for input 'rel' is not set for host web1.example.com");
    const withDefault = tpl('<%= input("rel") %>', { inputs: [{ name: 'rel', input_type: 'fact', fact_name: 'os::release', default: 'unknown' }] });
    expect(renderJobTemplate({ template: withDefault, lookupTemplate: () => undefined, host: bare, inputValues: {}, preview: false, currentUser: 'alice' })).toBe('unknown');
  });
  it('renders placeholders for unresolved inputs in preview', () => {
    expect(run('<%= input("cmd") %> <%= input("rel") %> <%= input("role") %> <%= input("port") %>', { preview: true, host: null, inputValues: {} }))
      .toBe('$USER_INPUT[cmd] $FACT_INPUT[rel] $VARIABLE_INPUT[role] $PUPPET_PARAMETER_INPUT[port]');
  });
});

describe('host helpers and macros', () => {
  it('@host and host expose the Jail methods', () => {
    expect(run('<%= @host.name %> <%= host.shortname %> <%= @host.ip %> <%= @host.ip6 %> <%= @host.domain %> <%= @host.hostgroup.title %> <%= @host.comment %>'))
      .toBe('web1.example.com web1 192.0.2.1 2001:db8::1 example.com prod/web front');
    expect(run('<%= @host.os.family %> <%= @host.operatingsystem.major.to_i + 1 %> <%= @host.operatingsystem.minor %> <%= @host.operatingsystem %> <%= @host.subnet.network %>/<%= @host.subnet.cidr %>'))
      .toBe('Debian 13 4 Debian 12.4 192.0.2.0/24');
    expect(run('<%= @host.params["role"] %> <%= @host.facts["memorysize_mb"].to_f / 1024 > 2 %> <%= @host.facts_hash.keys.size %> <%= @host.param_true?("enabled") %> <%= @host.param_false?("disabled") %> <%= @host.nil? %>'))
      .toBe('web true 2 true true false');
  });
  it('host_param family', () => {
    expect(run('<%= host_param("role") %>|<%= host_param("none", "d") %>|<%= host_param("none").inspect %>|<%= host_param!("role") %>')).toBe('web|d|nil|web');
    expect(() => run('<%= host_param!("none") %>')).toThrow(/Parameter none is not set for host web1.example.com/);
    expect(run('<%= host_param_true?("enabled") %> <%= host_param_false?("disabled") %> <%= host_param_true?("none") %> <%= host_param_false?("enabled") %>')).toBe('true true false false');
    expect(() => run('<%= host_param("x") %>', { host: null })).toThrow(/requires a host/);
  });
  it('preview?, current_user, template_name, plugin_present?, ivars', () => {
    expect(run('<%= preview? %> <%= current_user %> <%= template_name %> <%= @template_name %> <%= plugin_present?("katello") %>', { plugins: ['katello'] })).toBe('false alice T T true');
    expect(run('<%= preview? %>', { preview: true })).toBe('true');
  });
  it('render_error raises ErbUserError with the message as reason', () => {
    try {
      run('a\n<% render_error("bad host") if true %>');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ErbUserError);
      expect((e as ErbUserError).reason).toBe('bad host');
      expect((e as ErbUserError).line).toBe(2);
    }
  });
  it('indent, save_to_file, shell_escape, truthy?/falsy?, to_json/parse_json, gem_version_compare', () => {
    expect(run('<%= indent(2) { "a\\nb\\n" } %>|<%= indent(4, skip1: true) { "x\\ny" } %>')).toBe('  a\n  b\n|x\n    y');
    expect(run('<%= save_to_file("/etc/x", "hello") %>')).toBe('cat << EOF > /etc/x\nhello\nEOF');
    expect(run('<%= save_to_file("/etc/x", "") %>')).toBe('cp /dev/null /etc/x');
    expect(run(`<%= shell_escape("a b'c") %>`)).toBe("a\\ b\\'c");
    expect(run('<%= [truthy?("yes"), truthy?("0"), falsy?("off"), falsy?("maybe"), truthy?(nil)].inspect %>')).toBe('[true, false, true, false, false]');
    expect(run('<%= to_json({"a" => [1, nil]}) %> <%= parse_json(\'{"k": [1, "v"]}\')["k"].inspect %>')).toBe('{"a":[1,null]} [1, "v"]');
    expect(run('<%= gem_version_compare("1.10.0", "1.9") %>')).toBe('1');
    expect(() => run('<%= parse_json("{") %>')).toThrow(ErbRenderError);
  });
  it('snippet and snippet_if_exists', () => {
    const snip: JobTemplateSource = { name: 'S', template: 'snip <%= @who %> <%= input("cmd") %>', inputs: [], foreign_input_sets: [] };
    expect(run("<%= snippet('S', variables: { who: 'me' }) %>|<%= snippet_if_exists('none') %>", {}, [snip])).toBe('snip me ls|');
    expect(() => run("<%= snippet('none') %>")).toThrow(/The specified snippet 'none' does not exist/);
  });
  it('render_template passes explicit inputs (string or symbol keys) over foreign ones', () => {
    const callee: JobTemplateSource = { name: 'C', template: '<%= input("a") %>-<%= input("b") %>', inputs: [{ name: 'a', input_type: 'user' }, { name: 'b', input_type: 'user', default: 'B' }], foreign_input_sets: [] };
    expect(run("<%= render_template('C', 'a' => 'x') %>", {}, [callee])).toBe('x-B');
    const wrapper = tpl("<%= render_template('C', a: 'explicit') %>", {
      inputs: [], foreign_input_sets: [{ target_template: 'C', include_all: false, include: 'a, b', exclude: '' }],
    });
    const out = renderJobTemplate({ template: wrapper, lookupTemplate: (n) => (n === 'C' ? callee : undefined), host, inputValues: { a: 'inv', b: 'from-invocation' }, preview: false, currentUser: null });
    expect(out).toBe('explicit-from-invocation');
  });
});

describe('stripTemplateMetadata', () => {
  it('removes the first ERB comment and surrounding whitespace, as Foreman import does', () => {
    expect(stripTemplateMetadata('<%#\nname: x\n-%>\n\nbody\n')).toBe('body');
    expect(stripTemplateMetadata('<%#\nname: x\n%>\n<%# keep %>b')).toBe('<%# keep %>b');
  });
});

describe('format_time', () => {
  const now = new Date('2026-11-25T09:05:07Z');
  it('formats a given time or now with strftime directives, in UTC', () => {
    expect(run('<%= format_time("2024-02-29T13:04:05Z", "%F %T %a %b %j %I%p %%") %>')).toBe('2024-02-29 13:04:05 Thu Feb 060 01PM %');
    expect(run('<%= format_time(nil) %>', { now })).toBe('2026-11-25 09:05:07 +0000');
    expect(run('<%= format_time(nil, format: "%d.%m.%Y") %>', { now })).toBe('25.11.2026');
  });
  it('rejects a value that is not a time', () => {
    expect(() => run('<%= format_time("soon") %>')).toThrow(ErbRenderError);
  });
});
