#!/usr/bin/env node
// Launcher: Node >= 22.18 runs the TypeScript sources directly (type stripping).
import { enableModuleCache, main } from "../src/cli/main.ts";

enableModuleCache();
process.exitCode = await main(process.argv.slice(2));
