/** Runs the CLI's allocator tuning on its arguments, then prints what the process it ends up as sees. */
import { tuneAllocator } from "../../src/cli/allocator-tuning.ts";

tuneAllocator(process.argv.slice(2));
console.log(JSON.stringify({ purgeDelay: process.env.MIMALLOC_PURGE_DELAY ?? null, pid: process.pid, argv: process.argv.slice(2) }));
