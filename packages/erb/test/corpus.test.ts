/**
 * Every Foreman template of the corpus parses and renders for Debian, Red Hat (and Suse where the
 * template supports it) with sample inputs; expectations come from reading each template.
 */
import { describe, expect, it } from 'vitest';
import { createTemplateCache, ErbRenderError, ErbUserError, parseTemplate, renderJobTemplate } from '../src/index.ts';
import type { HostData, JobTemplateSource } from '../src/index.ts';
import { HOSTS, readCorpus, registry, toSource } from './corpus-fixtures.ts';

const cache = createTemplateCache();
const HEAD = registry('script-HEAD', 'katello-examples');
const SSH2022 = registry('ssh-2022-pre-rename', 'katello-examples');
const V130 = registry('ssh-v1.3.0', 'katello-examples');

function render(reg: Map<string, JobTemplateSource>, name: string, host: HostData | null, inputs: Record<string, string> = {}, extra: { preview?: boolean; plugins?: string[] } = {}): string {
  const template = reg.get(name);
  if (!template) throw new Error(`no template ${name}`);
  return renderJobTemplate({
    template,
    lookupTemplate: (n) => reg.get(n),
    host,
    inputValues: inputs,
    preview: extra.preview ?? false,
    currentUser: 'admin',
    cache,
    ...(extra.plugins ? { plugins: extra.plugins } : {}),
  });
}

function renderError(fn: () => unknown): ErbRenderError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ErbRenderError) return e;
    throw e;
  }
  throw new Error('expected a render error');
}

describe('corpus: every template parses', () => {
  const files = readCorpus();
  it('finds all 33 templates', () => {
    expect(files).toHaveLength(33);
  });
  for (const f of files) {
    it(`${f.dir}/${f.file}`, () => {
      const t = parseTemplate(f.source, { name: f.file });
      expect(t.name).toBe(f.file);
      expect(toSource(f.source).name).toMatch(/\S/);
    });
  }
});

describe('script-HEAD', () => {
  it('Run Command renders the command only', () => {
    expect(render(HEAD, 'Run Command - Script Default', HOSTS.debian, { command: 'uptime' }).trim()).toBe('uptime');
    expect(render(HEAD, 'Run Command - Script Default', HOSTS.redhat7, { command: 'ls -la /tmp' }).trim()).toBe('ls -la /tmp');
  });
  it('Run Command: missing required input fails, preview shows a placeholder', () => {
    expect(renderError(() => render(HEAD, 'Run Command - Script Default', HOSTS.debian)).reason).toBe("Value for required input 'command' was not specified");
    expect(render(HEAD, 'Run Command - Script Default', null, {}, { preview: true }).trim()).toBe('$USER_INPUT[command]');
  });

  it('Package Action on Debian uses apt-get with noninteractive frontend', () => {
    const out = render(HEAD, 'Package Action - Script Default', HOSTS.debian, { action: 'install', package: 'nginx' });
    expect(out).toContain('apt-get -y update');
    expect(out).toContain('export DEBIAN_FRONTEND=noninteractive');
    expect(out).toMatch(/Dpkg::Options::="--force-confold" -y +install nginx 2>&1/);
    expect(out).toContain('if [ "install" = "remove" ]; then');
    expect(out).not.toContain('yum');
    expect(out).not.toContain('handle_zypp_res_codes');
    expect(out).not.toContain('# Pre Script');
    expect(out).toContain('[ $RETVAL -eq 0 ] || exit_with_message "Package action failed" $RETVAL');
  });
  it('Package Action on Debian maps update/group actions', () => {
    expect(render(HEAD, 'Package Action - Script Default', HOSTS.debian, { action: 'update' })).toMatch(/-y +upgrade +2>&1/);
    expect(render(HEAD, 'Package Action - Script Default', HOSTS.debian, { action: 'update', package: 'vim' })).toMatch(/-y +--only-upgrade install vim 2>&1/);
    expect(render(HEAD, 'Package Action - Script Default', HOSTS.debian, { action: 'group install', package: 'x' })).toMatch(/-y +install x 2>&1/);
    expect(render(HEAD, 'Package Action - Script Default', HOSTS.debian, { action: 'group remove', package: 'x' })).toContain('if [ "remove" = "remove" ]; then');
  });
  it('Package Action on Red Hat uses yum, with pre/post scripts and subscription refresh', () => {
    const out = render(HEAD, 'Package Action - Script Default', HOSTS.redhat7, {
      action: 'install', package: 'httpd', pre_script: 'echo before', post_script: 'echo after', refresh_subscription: 'true', options: '--nogpgcheck',
    });
    expect(out).toContain('yum -y --nogpgcheck install httpd');
    expect(out).toContain('  # Pre Script\n  echo before\n  RETVAL=$?');
    expect(out).toContain('  # Post Script\n  echo after\n');
    expect(out).toContain('subscription-manager refresh');
    expect(out).not.toContain('apt-get');
    expect(out.startsWith('#!/bin/bash')).toBe(true);
    expect(render(HEAD, 'Package Action - Script Default', HOSTS.redhat7, { action: 'install', package: 'httpd' })).toMatch(/^ {6}yum -y {2}install httpd\n {2}RETVAL=\$\?$/m);
  });
  it('Package Action on Suse uses zypper with result-code handling', () => {
    const out = render(HEAD, 'Package Action - Script Default', HOSTS.suse, { action: 'group install', package: 'lamp_server' });
    expect(out).toContain('zypper refresh');
    expect(out).toMatch(/zypper -n --gpg-auto-import-keys install -t pattern +lamp_server/);
    expect(out).toContain('handle_zypp_res_codes $? "install -t pattern"');
    expect(out).toContain("ZYPP_RES_CODES[104]='given capability not found'");
  });
  it('Package Action on an unsupported or missing OS fails with render_error', () => {
    for (const h of [HOSTS.windows, HOSTS.noOs]) {
      const e = renderError(() => render(HEAD, 'Package Action - Script Default', h, { action: 'install', package: 'x' }));
      expect(e).toBeInstanceOf(ErbUserError);
      expect(e.reason).toBe('Unsupported or no operating system found for this host.');
      expect(e.line).toBeGreaterThan(1);
    }
  });
  it('Package Action: the Katello yum_or_yum_transient helper is used only when the host has it', () => {
    const out = render(HEAD, 'Package Action - Script Default', HOSTS.redhat9, { action: 'remove', package: 'vim' }, { plugins: ['katello'] });
    expect(out).toMatch(/yum -y +remove vim/);
  });

  it('Check Update per family', () => {
    const rh = render(HEAD, 'Check Update - Script Default', HOSTS.redhat7);
    expect(rh).toContain('yum check-update');
    expect(rh).toContain('if [ $rc -eq 100 ]; then');
    const deb = render(HEAD, 'Check Update - Script Default', HOSTS.debian);
    expect(deb).toContain('apt list --upgradable');
    expect(deb).not.toContain('rc=$?');
    expect(render(HEAD, 'Check Update - Script Default', HOSTS.suse)).toContain('zypper list-updates');
    expect(renderError(() => render(HEAD, 'Check Update - Script Default', HOSTS.windows)).reason).toBe('Unsupported or no operating system found for this host.');
  });

  it('Service Action: systemctl on Red Hat > 6, service/chkconfig otherwise', () => {
    expect(render(HEAD, 'Service Action - Script Default', HOSTS.redhat7, { action: 'restart', service: 'httpd' })).toContain('systemctl restart httpd');
    const rh6 = render(HEAD, 'Service Action - Script Default', HOSTS.redhat6, { action: 'restart', service: 'httpd' });
    expect(rh6).toContain('service httpd restart');
    expect(rh6).not.toContain('systemctl');
    expect(render(HEAD, 'Service Action - Script Default', HOSTS.redhat6, { action: 'enable', service: 'httpd' })).toContain('chkconfig --add httpd');
    expect(render(HEAD, 'Service Action - Script Default', HOSTS.redhat6, { action: 'disable', service: 'httpd' })).toContain('chkconfig --del httpd');
    expect(render(HEAD, 'Service Action - Script Default', HOSTS.debian, { action: 'stop', service: 'nginx' })).toContain('service nginx stop');
  });

  it('Power Action', () => {
    const r = render(HEAD, 'Power Action - Script Default', HOSTS.debian, { action: 'restart' });
    expect(r).toContain('PATH="$PATH:/usr/sbin:/sbin"');
    expect(r).toContain('echo restart host && sleep 3\nshutdown -r +1');
    expect(render(HEAD, 'Power Action - Script Default', HOSTS.redhat7, { action: 'shutdown' })).toContain('echo shutdown host && sleep 3\nshutdown -h now');
  });

  it('Puppet Agent Disable includes the comment and current_user', () => {
    const deb = render(HEAD, 'Puppet Agent Disable - Script Default', HOSTS.debian, { comment: 'maintenance' });
    expect(deb).toContain('export PATH=/opt/puppetlabs/bin:$PATH');
    expect(deb).toContain('puppet agent --disable "maintenance - admin - $(date "+%d/%m/%Y %H:%M")"');
    const rh = render(HEAD, 'Puppet Agent Disable - Script Default', HOSTS.redhat7);
    expect(rh).not.toContain('/opt/puppetlabs/bin');
    expect(rh).toContain('puppet agent --disable "Disabled using Foreman Remote Execution - admin - $(date');
  });
  it('Puppet Agent Enable', () => {
    expect(render(HEAD, 'Puppet Agent Enable - Script Default', HOSTS.debian)).toBe('export PATH=/opt/puppetlabs/bin:$PATH\npuppet agent --enable');
    expect(render(HEAD, 'Puppet Agent Enable - Script Default', HOSTS.redhat7)).toBe('puppet agent --enable');
  });
  it('Puppet module install from forge and git', () => {
    const all = render(HEAD, 'Puppet Module - Install from forge - Script Default', HOSTS.redhat7, {
      puppet_module: 'puppetlabs-stdlib', target_dir: '/etc/mods', version: '9.0.0', force: 'true', ignore_dependencies: 'true',
    });
    expect(all).toContain('puppet module install puppetlabs-stdlib --target-dir /etc/mods --version 9.0.0 --force --ignore-dependencies');
    expect(render(HEAD, 'Puppet Module - Install from forge - Script Default', HOSTS.debian, { puppet_module: 'a-b' })).toMatch(/^export PATH=.*\npuppet module install a-b {4}$/);
    expect(render(HEAD, 'Puppet Module - Install from git - Script Default', HOSTS.debian, { git_repository: 'https://g/x.git', target_dir: '/m/x' })).toBe('git clone https://g/x.git /m/x');
  });
  it('Puppet Run Once', () => {
    const out = render(HEAD, 'Puppet Run Once - Script Default', HOSTS.redhat7, { puppet_options: '--noop' });
    expect(out).toContain('. /etc/profile.d/puppet-agent.sh');
    expect(out).toContain('puppet agent --onetime --no-usecacheonfailure --no-daemonize --noop');
  });
  it('Module Action (Red Hat only)', () => {
    const out = render(HEAD, 'Module Action - Script Default', HOSTS.redhat9, { action: 'enable', module_spec: 'nodejs:18', pre_script: 'echo hi' });
    expect(out).toContain('dnf -y module enable nodejs:18 ');
    expect(out).toContain('  # Pre Script\n  echo hi\n');
    expect(renderError(() => render(HEAD, 'Module Action - Script Default', HOSTS.debian, { action: 'list' })).reason).toBe('Unsupported or no operating system found for this host.');
  });
  it('Download and run a script', () => {
    expect(render(HEAD, 'Download and run a script', HOSTS.debian, { url: 'https://example.com/s.sh' })).toContain("set -o pipefail && curl -sS 'https://example.com/s.sh' | bash");
  });
  it('Convert2RHEL analyze: default ELS "no", Red Hat only', () => {
    const def = render(HEAD, 'Convert2RHEL analyze', HOSTS.redhat7);
    expect(def).toContain('/usr/bin/convert2rhel analyze -y \n');
    expect(render(HEAD, 'Convert2RHEL analyze', HOSTS.redhat7, { ELS: 'yes' })).toContain('/usr/bin/convert2rhel analyze -y --els');
    expect(render(HEAD, 'Convert2RHEL analyze', HOSTS.debian)).toContain("echo 'Unsupported OS, it must be from the Red Hat family.'");
  });
});

describe('ssh-2022-pre-rename', () => {
  it('Package Action per family', () => {
    expect(render(SSH2022, 'Package Action - SSH Default', HOSTS.redhat7, { action: 'install', package: 'httpd' })).toContain('yum -y install httpd');
    const deb = render(SSH2022, 'Package Action - SSH Default', HOSTS.debian, { action: 'install', package: 'nginx' });
    expect(deb).toContain('apt-get -y update');
    expect(deb).toContain('-o Dpkg::Options::="--force-confold" -y install nginx');
    expect(render(SSH2022, 'Package Action - SSH Default', HOSTS.suse, { action: 'remove', package: 'vim' })).toContain('zypper -n remove vim');
  });
  it('Service Action, Puppet Run Once, Run Command, Check Update', () => {
    expect(render(SSH2022, 'Service Action - SSH Default', HOSTS.redhat7, { action: 'reload', service: 'sshd' })).toContain('systemctl reload sshd');
    expect(render(SSH2022, 'Puppet Run Once - SSH Default', HOSTS.debian, {})).toContain('export PATH=/opt/puppetlabs/bin:$PATH\npuppet agent --onetime');
    expect(render(SSH2022, 'Run Command - SSH Default', HOSTS.redhat7, { command: 'id' }).trim()).toBe('id');
    expect(render(SSH2022, 'Check Update - SSH Default', HOSTS.debian)).toContain('apt list --upgradable');
    expect(render(SSH2022, 'Power Action - SSH Default', HOSTS.debian, { action: 'restart' })).toContain('shutdown -r +1');
    expect(render(SSH2022, 'Puppet Agent Disable - SSH Default', HOSTS.redhat7, {})).toContain(' - admin - ');
    expect(render(SSH2022, 'Puppet Agent Enable - SSH Default', HOSTS.redhat7, {})).toContain('puppet agent --enable');
    expect(render(SSH2022, 'Module Action - SSH Default', HOSTS.redhat7, { action: 'list' })).toContain('dnf -y module list');
    expect(render(SSH2022, 'Puppet Module - Install from forge - SSH Default', HOSTS.redhat7, { puppet_module: 'x-y' })).toContain('puppet module install x-y');
    expect(render(SSH2022, 'Puppet Module - Install from git - SSH Default', HOSTS.redhat7, { git_repository: 'r', target_dir: 't' })).toBe('git clone r t');
  });
});

describe('ssh-v1.3.0', () => {
  it('Package Action supports Red Hat and Debian only', () => {
    expect(render(V130, 'Package Action - SSH Default', HOSTS.redhat7, { action: 'install', package: 'httpd' })).toContain('  yum -y install httpd');
    expect(render(V130, 'Package Action - SSH Default', HOSTS.debian, { action: 'remove', package: 'nginx' })).toContain('  apt-get -y remove nginx');
    expect(renderError(() => render(V130, 'Package Action - SSH Default', HOSTS.suse, { action: 'install' })).reason).toBe('Unsupported or no operating system found for this host.');
  });
  it('Service, Power, Run Command, Puppet Run Once', () => {
    expect(render(V130, 'Service Action - SSH Default', HOSTS.redhat7, { action: 'restart', service: 'httpd' })).toContain('systemctl restart httpd');
    expect(render(V130, 'Service Action - SSH Default', HOSTS.redhat6, { action: 'restart', service: 'httpd' })).toContain('service httpd restart');
    expect(render(V130, 'Power Action - SSH Default', HOSTS.redhat7, { action: 'restart' })).toContain('echo restart host && sleep 3\nreboot');
    expect(render(V130, 'Run Command - SSH Default', HOSTS.redhat7, { command: 'w' }).trim()).toBe('w');
    expect(render(V130, 'Puppet Run Once - SSH Default', HOSTS.redhat7, { puppet_options: '--test' })).toContain('--no-daemonize --test');
  });
});

describe('katello examples: render_template + foreign input sets', () => {
  it('Install Package renders Package Action (SSH) with the wrapper inputs and action=install', () => {
    const out = render(SSH2022, 'Install Package - Katello SSH Default', HOSTS.redhat7, { package: 'vim', pre_script: 'echo pre' });
    expect(out).toContain('yum -y install vim');
    expect(out).toContain('# Pre Script\n  echo pre');
    const deb = render(SSH2022, 'Install Package - Katello SSH Default', HOSTS.debian, { package: 'vim' });
    expect(deb).toContain('-y install vim');
  });
  it('Update Package renders Package Action (Script) with action=update', () => {
    expect(render(HEAD, 'Update Package - Katello Script Default', HOSTS.redhat7, { package: 'openssl' })).toMatch(/yum -y +update openssl/);
    expect(render(HEAD, 'Update Package - Katello Script Default', HOSTS.debian, { package: 'openssl' })).toMatch(/--only-upgrade install openssl/);
  });
  it('Install Errata computes the package list from its own input', () => {
    expect(render(SSH2022, 'Install Errata - Katello SSH Default', HOSTS.redhat7, { errata: 'RHSA-1,RHSA-2' })).toContain('yum -y update-minimal --advisory=RHSA-1 --advisory=RHSA-2');
    expect(render(SSH2022, 'Install Errata - Katello SSH Default', HOSTS.suse, { errata: 'SUSE-1,SUSE-2' })).toContain('zypper -n install -n -t patch SUSE-1 SUSE-2');
    expect(renderError(() => render(SSH2022, 'Install Errata - Katello SSH Default', HOSTS.redhat7, {})).reason).toBe("Value for required input 'errata' was not specified");
  });
  it('Restart Services reboots through Power Action or restarts each service', () => {
    expect(render(HEAD, 'Restart Services - Katello Script Default', HOSTS.redhat7, { helper: 'systemctl restart httpd, reboot' })).toContain('echo restart host && sleep 3\nshutdown -r +1');
    const out = render(HEAD, 'Restart Services - Katello Script Default', HOSTS.redhat7, { helper: 'systemctl restart httpd, systemctl restart sshd' });
    expect(out).toContain('RETVAL=0\nsystemctl restart httpd\nif [ $? -ne 0 ]; then\n  RETVAL=1\nfi\nsystemctl restart sshd\n');
    expect(out).toContain('katello-tracer-upload\nexit $RETVAL');
    expect(out).not.toContain('shutdown');
  });
  it('with_foreign_input_set: false stops the wrapper inputs from flowing', () => {
    const reg = new Map(SSH2022);
    reg.set('Wrapper', {
      name: 'Wrapper',
      template: "<%= render_template('Package Action - SSH Default', { :action => 'install' }, { :with_foreign_input_set => false }) %>",
      inputs: [],
      foreign_input_sets: [{ target_template: 'Package Action - SSH Default', include_all: true, include: '', exclude: 'action' }],
    });
    const out = render(reg, 'Wrapper', HOSTS.redhat7, { package: 'vim' });
    expect(out).toMatch(/yum -y install $/m);
  });
});
