/**
 * @module
 * What the simulated fleet's hosts understand: the script provider's wrapper (its script, which
 * comes on stdin, is run after the start marker) and, inside it or alone, a tiny
 * command set: `echo`, `sleep N`, `exit N`, `true`/`:`, `false`, `seq N` / `lines N` (N lines).
 * Anything else fails with 127, as a shell does for an unknown command.
 */

/** The start marker of the script provider's wrapper (`script-command.ts`). */
const MARKER = '@@REMEX-STARTED@@';

/** Where a command's output goes. */
export interface SimOutput {
  stdout(text: string): void;
  stderr(text: string): void;
}

/**
 * The script a command runs: `undefined` for the provider's wrapper, whose script comes on
 * stdin; otherwise the command itself.
 */
export function scriptOf(command: string): { wrapped: boolean; script: string | undefined } {
  if (!command.includes(`'${MARKER}'`)) return { wrapped: false, script: command };
  return { wrapped: true, script: undefined };
}

/** Splits a script into simple commands (lines and `;`), dropping comments and the `#!` line. */
function statements(script: string): string[][] {
  const out: string[][] = [];
  for (const line of script.split('\n')) {
    if (line.trimStart().startsWith('#')) continue;
    for (const part of line.split(';')) {
      const words = part.trim().split(/\s+/).filter(Boolean).map((w) => w.replace(/^["']|["']$/g, ''));
      if (words.length > 0) out.push(words);
    }
  }
  return out;
}

/**
 * Runs `script` with the tiny command set.
 * @returns its exit code
 */
export async function runSimScript(script: string, out: SimOutput, wrapped: boolean): Promise<number> {
  if (wrapped) out.stdout(`${MARKER}\n`);
  let status = 0;
  for (const [name, ...args] of statements(script)) {
    switch (name) {
      case 'echo':
        out.stdout(`${args.join(' ')}\n`);
        status = 0;
        break;
      case 'sleep':
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(args[0] ?? 0)) * 1000));
        status = 0;
        break;
      case 'exit':
        return Number(args[0] ?? status) & 255;
      case 'true':
      case ':':
        status = 0;
        break;
      case 'false':
        status = 1;
        break;
      case 'seq':
      case 'lines': {
        const n = Math.min(Number(args[0] ?? 0), 1_000_000);
        let text = '';
        for (let i = 1; i <= n; i++) text += `${i}\n`;
        out.stdout(text);
        status = 0;
        break;
      }
      default:
        out.stderr(`sim: ${name ?? ''}: not supported\n`);
        status = 127;
    }
  }
  return status;
}
