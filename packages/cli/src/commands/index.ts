/** Every subcommand, in the order the help screen lists them. Add a command by adding it here. */
import type { Command } from '../command.js';
import { cancelCommand } from './cancel.js';
import { createCommand } from './create.js';
import { demoCommand } from './demo.js';
import { listenCommand } from './listen.js';
import { serveCommand } from './serve.js';
import { statusCommand } from './status.js';
import { waitCommand } from './wait.js';

export const COMMANDS: readonly Command[] = [
  serveCommand,
  createCommand,
  statusCommand,
  waitCommand,
  cancelCommand,
  listenCommand,
  demoCommand,
];
