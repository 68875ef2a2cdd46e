#!/usr/bin/env node
/* global process, console */
// A committed entry point, so npm can link the command at install time, before the build exists.
try {
  await import('../dist/bin.js');
} catch (error) {
  if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/bin.js')) {
    console.error('translation-status is not built yet: run `npm run build` in the repository first.');
    process.exit(2);
  }
  throw error;
}
