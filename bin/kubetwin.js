#!/usr/bin/env node
// Launcher: Node >= 22.18 runs the TypeScript sources directly (type stripping).
import { main, startProcess } from "../src/cli/main.ts";

startProcess();
process.exitCode = await main(process.argv.slice(2));
