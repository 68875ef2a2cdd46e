#!/usr/bin/env node
/* global process, console */
// A committed entry point, so npm can link the command at install time, before the build exists.
let program;
try {
  program = await import('../dist/main.js');
} catch (error) {
  if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/main.js')) {
    console.error('translation-status-server is not built yet: run `npm run build` in the repository first.');
    process.exit(2);
  }
  throw error;
}
process.exitCode = await program.main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
});
