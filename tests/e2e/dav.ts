import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

// Starts the WebDAV server of tests/dav-server.mjs (nginx, its config written there) and stops it by its PID.

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
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  };
  return { url, root: join(dir, 'root'), pid: child.pid!, stop };
}
