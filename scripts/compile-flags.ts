/**
 * How `bun build --compile` is asked to build logtap. Shared by scripts/build.ts and the start-up benchmark, which
 * compiles its hello-world floor the same way so the two differ only in the program.
 */
export const COMPILE_FLAGS = ["--compile", "--splitting", "--minify", "--bytecode", "--format=esm"];
