// Starts one of the Node servers (test_server.mjs, sim.mjs) as a child process, waits for the one
// JSON line of addresses it prints, and stops it again. stdin is a pipe we hold open: closing it
// is how the servers learn that their parent is gone.
import { spawn } from 'node:child_process';

export function startServer(script, args = [], { startTimeoutMs = 10_000, env } = {}) {
  const child = spawn(process.execPath, [script, ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: env ? { ...process.env, ...env } : process.env,
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  let gotLine = false;
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} printed no address line within ${startTimeoutMs} ms; stderr: ${stderr}`)), startTimeoutMs);
    child.stdout.on('data', (d) => {
      stdout += d;
      const nl = stdout.indexOf('\n');
      if (nl >= 0 && !gotLine) {
        gotLine = true;
        clearTimeout(timer);
        try { resolve(JSON.parse(stdout.slice(0, nl))); } catch (e) { reject(new Error(`bad address line: ${stdout.slice(0, nl)}`)); }
      }
    });
    exited.then(({ code, signal }) => { clearTimeout(timer); reject(new Error(`${script} exited early (code ${code}, signal ${signal}); stderr: ${stderr}`)); });
  });
  return {
    child,
    ready,
    exited,
    get stdout() { return stdout; },
    get stderr() { return stderr; },
    // Closes stdin (the normal way to stop) and resolves with the exit status.
    async stop() { child.stdin.end(); return exited; },
    async kill(signal = 'SIGTERM') { child.kill(signal); return exited; },
  };
}
