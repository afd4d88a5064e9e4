/**
 * @module
 * Child process of the scale benchmark: a simulated fleet. One ssh2 server on `0.0.0.0:PORT`
 * answers for every loopback address, so thousands of "hosts" cost one process instead of an
 * sshd per connection, and the orchestrator is measured where a real sshd would saturate the
 * cores first. Public-key auth (the signature is verified, any key is accepted: a lab), exec with
 * the command set of `sim-shell.ts`. Sends `{type:'ready', port}`; counts sessions and answers
 * `{type:'stats'}` with `{type:'stats', connections, execs, maxOpen}`; exits when the parent goes.
 */
import ssh2 from 'ssh2';

import { runSimScript, scriptOf } from './sim-shell.ts';

const { Server, utils } = ssh2;

function send(message: unknown): void {
  process.send?.(message);
}

const hostKey = utils.generateKeyPairSync('ed25519').private;
let connections = 0;
let open = 0;
let maxOpen = 0;
let execs = 0;

const server = new Server({ hostKeys: [hostKey] }, (client) => {
  connections++;
  open++;
  maxOpen = Math.max(maxOpen, open);
  client.on('close', () => open--);
  client.on('error', () => undefined);
  client.on('authentication', (ctx) => {
    if (ctx.method !== 'publickey') return ctx.reject(['publickey']);
    if (!ctx.signature) return ctx.accept();
    const key = utils.parseKey(ctx.key.data);
    if (key instanceof Error || !ctx.blob) return ctx.reject(['publickey']);
    return key.verify(ctx.blob, ctx.signature, ctx.hashAlgo) ? ctx.accept() : ctx.reject(['publickey']);
  });
  client.on('ready', () => {
    client.on('session', (acceptSession) => {
      const session = acceptSession();
      session.on('exec', (accept, _reject, info) => {
        execs++;
        const stream = accept();
        const { wrapped, script } = scriptOf(info.command);
        const run = (text: string): void => {
          void runSimScript(text, { stdout: (t) => stream.write(t), stderr: (t) => stream.stderr.write(t) }, wrapped).then((code) => {
            stream.exit(code);
            stream.end();
          });
        };
        if (script !== undefined) {
          stream.resume();
          run(script);
          return;
        }
        // The script arrives on stdin.
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.once('end', () => run(Buffer.concat(chunks).toString('utf8')));
      });
    });
  });
});

server.listen(Number(process.env.BENCH_SIM_PORT ?? 0), '0.0.0.0', () => {
  const address = server.address() as { port: number };
  send({ type: 'ready', port: address.port });
});

process.on('message', (m: { type: string }) => {
  if (m.type === 'stats') send({ type: 'stats', connections, execs, maxOpen });
  else if (m.type === 'stop') server.close(() => process.exit(0));
});
process.on('disconnect', () => process.exit(0));
