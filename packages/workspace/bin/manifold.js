#!/usr/bin/env node
// A committed shim so npm can link the bin before the TypeScript is built.
import { main } from '../dist/cli.js';

process.exitCode = await main(process.argv.slice(2));
