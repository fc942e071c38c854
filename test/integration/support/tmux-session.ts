import { execa } from 'execa';

/**
 * A real terminal for a test: a detached tmux session on its own server socket (nothing shared
 * with anyone's tmux), driven by send-keys and read by capture-pane. `kill()` ends that server only.
 */
export class TmuxSession {
  private constructor(private readonly socket: string) {}

  static async available(): Promise<boolean> {
    return (await execa('tmux', ['-V'], { reject: false })).exitCode === 0;
  }

  /** Starts `command` (a shell line) in a 160 × 50 terminal. */
  static async start(socket: string, command: string, env: Record<string, string> = {}): Promise<TmuxSession> {
    const exports = Object.entries(env).map(([name, value]) => `export ${name}='${value.replace(/'/g, `'\\''`)}';`).join(' ');
    await execa('tmux', ['-L', socket, 'new-session', '-d', '-s', 'main', '-x', '160', '-y', '50', `${exports} ${command}`]);
    return new TmuxSession(socket);
  }

  /** Keys as tmux names them: 'Enter', 'x'; `literal` types the text as it is. */
  async send(keys: string, options: { literal?: boolean } = {}): Promise<void> {
    await execa('tmux', ['-L', this.socket, 'send-keys', '-t', 'main', ...(options.literal ? ['-l'] : []), keys]);
  }

  /** The screen and its scrollback as text. */
  async screen(): Promise<string> {
    return (await execa('tmux', ['-L', this.socket, 'capture-pane', '-p', '-J', '-S', '-2000', '-t', 'main'])).stdout;
  }

  /** Waits (bounded) until the screen shows `text`; throws with the screen if it never does. */
  async waitFor(text: string | RegExp, timeoutMs = 30_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const screen = await this.screen();
      if (typeof text === 'string' ? screen.includes(text) : text.test(screen)) return screen;
      if (Date.now() > deadline) throw new Error(`the terminal never showed ${String(text)} within ${timeoutMs} ms; it shows:\n${screen}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async kill(): Promise<void> {
    await execa('tmux', ['-L', this.socket, 'kill-server'], { reject: false });
  }
}
