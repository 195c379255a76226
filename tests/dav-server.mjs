// A real WebDAV server for the sync tests: nginx with its DAV modules (Debian `nginx-extras`, installed by
// `cargo xtask setup`), on loopback, from a config of our own in a fresh folder, started by the test and stopped by
// its PID. What a team deploys is in docs/sync.md; this is the same folder with test switches:
// - `users`: HTTP Basic accounts (name → password); without them the folder is open;
// - `owners`: name → folder under logs/ that only this user may write (nginx's `$remote_user` in a map), the
//   per-user permission a deployment sets;
// - `full`: every upload answers 507 Insufficient Storage.
// `node tests/dav-server.mjs DIR PORT [OPTIONS_JSON]` writes DIR/nginx.conf (options as above, and `keep`: leave the
// folder as it was) and prints the command that runs nginx in the foreground; the test runs it and stops it by PID
// with SIGTERM (the master then stops its workers; SIGKILL would leave them serving).
import { mkdirSync, writeFileSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const DAV_MODULE = '/usr/lib/nginx/modules/ngx_http_dav_ext_module.so';

/** Writes `dir/nginx.conf` for a DAV folder at `dir/root` served as `prefix` (default `/sync/`) on 127.0.0.1:`port`. */
export function writeConfig(dir, port, { users = {}, owners = {}, full = false, prefix = '/sync/' } = {}) {
  dir = resolve(dir);
  for (const d of ['root', 'tmp']) mkdirSync(join(dir, d), { recursive: true });
  const auth = Object.keys(users).length > 0;
  if (auth) {
    writeFileSync(join(dir, 'htpasswd'), Object.entries(users).map(([u, p]) => `${u}:{PLAIN}${p}\n`).join(''));
  }
  const ownerMap = Object.entries(owners).map(([u, f]) => `    "${u}:${f}" 1;`).join('\n');
  const writes = '^(PUT|DELETE|MKCOL|COPY|MOVE|LOCK|UNLOCK|PROPPATCH)$';
  const conf = `load_module ${DAV_MODULE};
user root;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log;
daemon off;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path ${dir}/tmp/body;
  proxy_temp_path ${dir}/tmp/proxy;
  fastcgi_temp_path ${dir}/tmp/fcgi;
  uwsgi_temp_path ${dir}/tmp/uwsgi;
  scgi_temp_path ${dir}/tmp/scgi;
  # Who may write where: logs/<folder>/ only by its owner (when owners are set); lead/ by "lead".
  # No user yet: let auth_basic answer 401 (it runs after these rules), so the client asks for credentials.
  map "$remote_user:$dav_folder" $may_write {
    "~^:" 1;
${ownerMap}
    default ${Object.keys(owners).length ? 0 : 1};
  }
  server {
    listen 127.0.0.1:${port};
    location ${prefix} {
      alias ${dir}/root/;
      dav_methods PUT DELETE MKCOL COPY MOVE;
      dav_ext_methods PROPFIND OPTIONS;
      create_full_put_path on;
      dav_access user:rw group:rw all:r;
      client_max_body_size 64m;
      ${auth ? `auth_basic "sync"; auth_basic_user_file ${dir}/htpasswd;` : ''}
      set $dav_folder "";
      if ($uri ~ "^${prefix}logs/([^/]+)/") { set $dav_folder $1; }
      if ($uri ~ "^${prefix}lead/") { set $dav_folder "lead"; }
      set $refuse "";
      if ($request_method ~ "${writes}") { set $refuse "w"; }
      if ($may_write = 0) { set $refuse "\${refuse}x"; }
      if ($refuse = "wx") { return 403; }
      ${full ? `if ($request_method = PUT) { return 507; }` : ''}
    }
  }
}
`;
  writeFileSync(join(dir, 'nginx.conf'), conf);
  return { conf: join(dir, 'nginx.conf'), root: join(dir, 'root'), errors: join(dir, 'error.log') };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [dir, port, options] = process.argv.slice(2);
  const parsed = options ? JSON.parse(options) : {};
  // A fresh folder unless `keep` (a restart of the same server).
  if (existsSync(dir) && !parsed.keep) rmSync(dir, { recursive: true, force: true });
  const { conf, errors } = writeConfig(dir, Number(port), parsed);
  console.log(`/usr/sbin/nginx -c ${conf} -e ${errors}`);
}
