#!/usr/bin/env node
/**
 * threesix-mcp: the entry point (see src/main/cli-main.ts for the commands).
 */
import { runCli } from './main/cli-main.js';

void runCli(process.argv.slice(2));
