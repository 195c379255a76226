import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

// Starts a real WebDAV server on loopback and stops it by its PID: nginx with its DAV modules (its config written
// by tests/dav-server.mjs), or rclone's `serve webdav` (what fronts a cloud bucket).

export interface Dav { url: string; root: string; pid: number; stop(): Promise<void>; }

export async function startDav(dir: string, port: number, options: Record<string, unknown> = {}): Promise<Dav> {
  const script = resolve(__dirname, '../dav-server.mjs');
  const command = execFileSync('node', [script, dir, String(port), JSON.stringify(options)], { encoding: 'utf8' });
  const [bin, ...args] = command.trim().split(/\s+/);
  const child = spawn(bin, args, { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}${(options.prefix as string) ?? '/sync/'}`;
  for (let i = 0; ; i++) {
    try {
      await fetch(url, { method: 'OPTIONS' });
      break;
    } catch {
      if (i > 100) {
        const log = join(dir, 'error.log');
        throw new Error(`nginx did not start: ${existsSync(log) ? readFileSync(log, 'utf8') : ''}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return { url, root: join(dir, 'root'), pid: child.pid!, stop: stopper(child) };
}

/** Stops a server by its PID (SIGTERM) and waits until it has exited. */
function stopper(child: ChildProcess): () => Promise<void> {
  return async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  };
}

/** rclone's WebDAV server on a fresh folder `dir/root`, serving it at `prefix` (as the test server's proxy asks). */
export async function startRclone(dir: string, port: number, prefix: string): Promise<Dav> {
  rmSync(dir, { recursive: true, force: true });
  const root = join(dir, 'root');
  mkdirSync(root, { recursive: true });
  const child = spawn('rclone', ['serve', 'webdav', root, '--addr', `127.0.0.1:${port}`, '--baseurl', prefix.replace(/\/$/, ''),
    '--config', '/dev/null'], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}${prefix}`;
  for (let i = 0; ; i++) {
    try {
      await fetch(url, { method: 'PROPFIND', headers: { Depth: '0' } });
      break;
    } catch {
      if (i > 200) throw new Error('rclone serve webdav did not start');
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return { url, root, pid: child.pid!, stop: stopper(child) };
}
