#!/usr/bin/env node
console.log('translation-status: not built yet');
