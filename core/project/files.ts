// core/project/ — startproject: an instance folder ready to deploy (settings, data, static, and the
// systemd units and nginx sites that run it), made from confctl's own template or an operator's.
import { settingDefs } from '../common/settings.ts';
import type { ProjectFile } from './startproject.ts';

/** What the template's files are made from: the project's name and its folder, absolute. */
export interface Project {
  name: string;
  directory: string;
}

/** Where the binary is installed (deploy/README.md's first step puts it there). */
export const BINARY = '/usr/local/bin/confctl';

const toml = (value: unknown): string => {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(toml).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    return entries.length === 0 ? '{}' : `{ ${entries.map(([k, v]) => `${JSON.stringify(k)} = ${toml(v)}`).join(', ')} }`;
  }
  return String(value);
};

/** Settings this instance sets (relative to the file): the rest stay commented, at their defaults. */
const INSTANCE: Partial<Record<keyof typeof settingDefs, unknown>> = {
  'filesystem.data': 'data',
  'filesystem.static': 'static',
};

/**
 * confctl.toml with every setting, each under its table with its meaning and default, made from the
 * settings' definitions (so it never drifts from them): the instance's own values set, the rest
 * commented out at their defaults, ready to be uncommented.
 */
export function settingsFile(project: Project): string {
  const lines = [
    `# confctl settings of ${project.name}: every setting, with its meaning and default. The instance's folders`,
    '# (data, static) are set; every other setting is commented out at its default: uncomment one to change it.',
    '# Paths are relative to this file\'s folder. "confctl diffsettings" shows what differs from the defaults.',
  ];
  let table = '';
  for (const [key, def] of Object.entries(settingDefs)) {
    const [section, name] = key.split('.') as [string, string];
    if (section !== table) {
      lines.push('', `[${section}]`);
      table = section;
    }
    if (key === 'site.url') lines.push('# Set it before going live: the feeds and calendars link to the schedule\'s public address.');
    lines.push(`# ${def.description} (default: ${toml(def.default)})`);
    if (key === 'site.url') lines.push(`# url = "https://${project.name.replace(/_/g, '-').toLowerCase()}.example.org"`);
    else if (key in INSTANCE) lines.push(`${name} = ${toml(INSTANCE[key as keyof typeof INSTANCE])}`);
    else lines.push(`# ${name} = ${toml(def.default)}`);
  }
  return `${lines.join('\n')}\n`;
}

const unitName = (project: Project) => `confctl-${project.name}`;
/** The instance's system user: the project's name in lower case, as useradd wants it. */
const userOf = (project: Project) => project.name.toLowerCase();

/** A service of the instance: run as its own user, in its folder, with its settings, hardened. */
function service(project: Project, what: { description: string; type: 'simple' | 'oneshot'; command: string; more?: string }): string {
  const { name, directory } = project;
  return `[Unit]
Description=${what.description}
Documentation=file://${directory}/README.md
After=network-online.target
Wants=network-online.target

[Service]
Type=${what.type}
User=${userOf(project)}
Group=${userOf(project)}
WorkingDirectory=${directory}
Environment=CONFCTL_SETTINGS=${directory}/confctl.toml
ExecStart=${BINARY} ${what.command}
${what.more ?? ''}${hardening(project)}`;
}

/** A long-running server of the instance, restarted on failure. */
function serverService(project: Project, description: string, command: string): string {
  return `${service(project, { description, type: 'simple', command, more: 'Restart=on-failure\nRestartSec=5\nTimeoutStopSec=30\n' })}
[Install]
WantedBy=multi-user.target
`;
}

/** The systemd service of runserver: its own user, the system read-only but the data and static folders, restarted on failure. */
export const serverUnit = (project: Project): string => serverService(project, `confctl schedule server of ${project.name}`, 'runserver 127.0.0.1:8000 --noreload');

/** The FastCGI variant of the server (runfcgi), for hosts whose web server speaks only FastCGI. */
export const fastcgiUnit = (project: Project): string => serverService(project, `confctl FastCGI server of ${project.name}`, 'runfcgi host=127.0.0.1 port=8001 daemonize=false');

/** The hardening both services share: nothing of the system writable but the instance's own folders. */
function hardening(project: Project): string {
  const under = (root: string) => project.directory === root || project.directory.startsWith(`${root}/`);
  // An instance below /home or /root, or /tmp, could not even be entered with these: they are left out then.
  const home = ['/home', '/root', '/run/user'].some(under) ? '# ProtectHome is off: the instance is below a home folder.\n' : 'ProtectHome=yes\n';
  const tmp = ['/tmp', '/var/tmp'].some(under) ? '# PrivateTmp is off: the instance is below a temporary folder.\n' : 'PrivateTmp=yes\n';
  return `NoNewPrivileges=yes
ProtectSystem=strict
ReadWritePaths=${project.directory}/data ${project.directory}/static
${home}${tmp}PrivateDevices=yes
ProtectKernelTunables=yes
ProtectKernelModules=yes
ProtectKernelLogs=yes
ProtectControlGroups=yes
ProtectClock=yes
ProtectHostname=yes
RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6
RestrictNamespaces=yes
RestrictRealtime=yes
RestrictSUIDSGID=yes
LockPersonality=yes
SystemCallArchitectures=native
CapabilityBoundingSet=
UMask=0027
`;
}

/** runperiodic as a oneshot service, for the timer. */
export function periodicUnit(project: Project): string {
  return service(project, { description: `confctl housekeeping of ${project.name} (runperiodic)`, type: 'oneshot', command: 'runperiodic' });
}

/** Every 5 minutes, as pretalx's docs run runperiodic from cron; a missed run is made up after a reboot. */
export function periodicTimer(project: Project): string {
  return `[Unit]
Description=confctl housekeeping of ${project.name} every 5 minutes

[Timer]
OnCalendar=*:0/5
Persistent=true
RandomizedDelaySec=30

[Install]
WantedBy=timers.target
`;
}

const TLS = (name: string) => `    ssl_certificate /etc/letsencrypt/live/${name}.example.org/fullchain.pem;
    ssl_certificate_key /etc/letsencrypt/live/${name}.example.org/privkey.pem;
    ssl_protocols TLSv1.2 TLSv1.3;`;

/** The nginx site: http to https, the static files from rebuild's folder, the rest from the server. */
function site(project: Project, upstream: string): string {
  const host = `${project.name.replace(/_/g, '-').toLowerCase()}.example.org`;
  return `# nginx site of ${project.name}: replace ${host} and the certificate paths, then
#   ln -s ${project.directory}/deploy/${upstream === 'proxy' ? 'nginx.conf' : 'nginx-fastcgi.conf'} /etc/nginx/sites-enabled/${project.name}.conf
server {
    listen 80;
    listen [::]:80;
    server_name ${host};
    return 301 https://$host$request_uri;
}

server {
    # nginx 1.25.1 and later prefer "http2 on;" to the listen parameter (which they still accept, warning).
    listen 443 ssl http2;
    listen [::]:443 ssl http2;
    server_name ${host};
${TLS(host.replace(/\.example\.org$/, ''))}
    client_max_body_size 64k;
    add_header Strict-Transport-Security "max-age=31536000" always;

    # The shared assets and event stylesheets: confctl rebuild and regenerate_css write them here.
    location /static/ {
        alias ${project.directory}/static/;
        expires 1h;
        access_log off;
    }

    location / {
${
  upstream === 'proxy'
    ? `        proxy_pass http://127.0.0.1:8000;
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_read_timeout 60s;`
    : `        include fastcgi_params;
        fastcgi_param SCRIPT_NAME "";
        fastcgi_param PATH_INFO $uri;
        fastcgi_param HTTPS $https if_not_empty;
        fastcgi_pass 127.0.0.1:8001;`
}
    }
}
`;
}

export const nginxProxySite = (project: Project): string => site(project, 'proxy');
export const nginxFastcgiSite = (project: Project): string => site(project, 'fastcgi');

/** The five steps from this folder to a live schedule. */
export function readme(project: Project): string {
  const { name, directory } = project;
  const unit = unitName(project);
  return `# ${name}

A confctl instance, made by \`confctl startproject ${name}\`: settings in \`confctl.toml\`, the
database and exports in \`data/\`, the static files nginx serves in \`static/\`, and in \`deploy/\`
the systemd units and nginx sites that run it.

## Five steps to go live

1. Install the binary you downloaded and give the instance its own user, who may write its data and
   static folders and read its settings (they may hold API tokens: no one else can):

       sudo install -m 755 ./confctl ${BINARY}
       sudo useradd --system --home-dir ${directory} --shell /usr/sbin/nologin ${userOf(project)}
       sudo chown -R ${userOf(project)}: ${directory}/data ${directory}/static
       sudo chgrp ${userOf(project)} ${directory}/confctl.toml

2. Set \`[site] url\` in \`confctl.toml\` to the schedule's public address, then create the database,
   the first administrator and the static files:

       sudo -u ${userOf(project)} env CONFCTL_SETTINGS=${directory}/confctl.toml ${BINARY} migrate
       sudo -u ${userOf(project)} env CONFCTL_SETTINGS=${directory}/confctl.toml ${BINARY} init
       sudo -u ${userOf(project)} env CONFCTL_SETTINGS=${directory}/confctl.toml ${BINARY} rebuild

3. Start the server and the housekeeping timer:

       cd ${directory}
       sudo cp deploy/${unit}.service deploy/${unit}-periodic.service deploy/${unit}-periodic.timer /etc/systemd/system/
       sudo systemctl daemon-reload
       sudo systemctl enable --now ${unit}.service ${unit}-periodic.timer

   (Only FastCGI on this host? Copy \`deploy/${unit}-fastcgi.service\` instead of \`${unit}.service\`: it
   runs \`confctl runfcgi\` on 127.0.0.1:8001, and \`deploy/nginx-fastcgi.conf\` passes requests to it.)

4. Put nginx in front: edit the server name and certificate paths in \`deploy/nginx.conf\`
   (\`deploy/nginx-fastcgi.conf\` for FastCGI), link it into \`/etc/nginx/sites-enabled/\`, then

       sudo nginx -t && sudo systemctl reload nginx

5. Check, then open the site and create an event (\`create_event --from-pretalx URL\` mirrors one):

       sudo -u ${userOf(project)} env CONFCTL_SETTINGS=${directory}/confctl.toml ${BINARY} check
       sudo -u ${userOf(project)} env CONFCTL_SETTINGS=${directory}/confctl.toml ${BINARY} create_event --help
`;
}

/** Every file of confctl's own template, by path below the project folder (a path ending in / is a folder). */
export function defaultTemplate(project: Project): Map<string, ProjectFile> {
  const unit = unitName(project);
  return new Map<string, ProjectFile>([
    ['README.md', readme(project)],
    ['confctl.toml', { content: settingsFile(project), mode: 0o640 }],
    ['data/', { content: '', mode: 0o750 }],
    ['static/', ''],
    [`deploy/${unit}.service`, serverUnit(project)],
    [`deploy/${unit}-fastcgi.service`, fastcgiUnit(project)],
    [`deploy/${unit}-periodic.service`, periodicUnit(project)],
    [`deploy/${unit}-periodic.timer`, periodicTimer(project)],
    ['deploy/nginx.conf', nginxProxySite(project)],
    ['deploy/nginx-fastcgi.conf', nginxFastcgiSite(project)],
  ]);
}
