import { z } from 'zod';
import { defineCommand } from '../../src/core/command.ts';
import { CHANNEL, type Harness } from './harness.ts';

/** Holds a command's run() until the test opens the gate, so a test controls when a slow command ends. */
export class Gate {
  private readonly waiting: (() => void)[] = [];
  private readonly watchers: (() => void)[] = [];

  /** Called from run(): waits until the test opens the gate. */
  pass(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      for (const watcher of this.watchers.splice(0)) watcher();
    });
  }

  /** Resolves once a run() is waiting at the gate. */
  async entered(): Promise<void> {
    if (this.waiting.length) return;
    await new Promise<void>((resolve) => this.watchers.push(resolve));
  }

  /** Lets the oldest waiting run() go on. */
  open(): void {
    const next = this.waiting.shift();
    if (!next) throw new Error('Gate: no command is waiting');
    next();
  }
}

/** A slow command, `/hold`, whose every run waits at `gate`. */
export function heldCommand(gate: Gate) {
  return defineCommand({
    name: 'hold',
    description: 'Answers when the test lets it',
    slow: true,
    options: z.object({}),
    async run() {
      await gate.pass();
      return { body: 'Held and answered.', ephemeral: false };
    },
  });
}

/**
 * UALICE sends /hold; once it runs at `gate`, the adapter begins to stop. Returns the ack, the stop
 * in progress, and whether it has finished yet.
 */
export async function stopWhileHeld(h: Harness, gate: Gate) {
  const sent = await h.fake.command({ command: '/hold', user: 'UALICE', channel: CHANNEL });
  await gate.entered();
  let stopped = false;
  const stopping = h.adapter.stop().then(() => {
    stopped = true;
  });
  return { sent, stopping, stopped: () => stopped };
}
