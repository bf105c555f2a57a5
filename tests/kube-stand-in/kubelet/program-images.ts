/**
 * Which images run a real local program instead of a scripted container: a test (or a person, through the CLI's
 * `--map-image` or the control API's `PUT /stand-in/images`) maps an image pattern to what the image would run.
 * The kubelet looks every container's image up here when it starts the container; the mapping is read at each
 * start, so a test can map an image before or after creating the pods (the next start picks it up).
 *
 *   k.mapImage("ghcr.io/logtap/logtap-forwarder:*", { command: ["dist/logtap-forwarder"] });
 *   k.mapImage("registry.example/app:*", (container, pod) => ({ command: [process.execPath, "tests/app.ts"] }));
 */

import type { KubeObject } from "../contract.ts";

/** What an image runs, as a Dockerfile would say it: ENTRYPOINT, CMD, ENV, WORKDIR, plus where its files are here. */
export interface ImageProgram {
  /** The image's ENTRYPOINT, as a local program: `["dist/logtap-forwarder"]`, `[process.execPath, "app.ts"]`. */
  command: string[];
  /** The image's CMD: the arguments used when the container gives neither `command` nor `args`. */
  args?: string[];
  /** The image's ENV: the process's environment before the container's `env` (which overrides it). */
  env?: Record<string, string>;
  /** The working directory of the process (relative paths in `command` are resolved from it). Default: the test's cwd. */
  cwd?: string;
  /**
   * Files of the image → local programs, for commands the pod spec names by their path in the image (a container
   * `command`, a preStop or exec probe): `{ "/logtap-forwarder": "dist/logtap-forwarder" }`, or a command prefix
   * `{ "/app": [process.execPath, "tests/app.ts"] }`. Without an entry, an absolute path that does not exist on this
   * machine and has the base name of `command[0]` (`/logtap-forwarder` for `dist/logtap-forwarder`) runs
   * `command[0]`; anything else runs as given (`sh`, `sleep` from the machine's PATH).
   */
  paths?: Record<string, string | string[]>;
}

/** A program, or a function of the container spec (and its pod) giving one. */
export type ImageMapping = ImageProgram | ((container: any, pod: KubeObject) => ImageProgram);

interface Entry {
  pattern: string;
  matches: (image: string) => boolean;
  mapping: ImageMapping;
}

/** `*` matches any run of characters (slashes and colons included); everything else matches itself. */
export function imagePatternMatcher(pattern: string): (image: string) => boolean {
  const re = new RegExp(`^${pattern.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
  return (image) => re.test(image);
}

export class ImageMap {
  readonly #entries: Entry[] = [];

  /** Maps images matching `pattern` (replacing an earlier mapping of the same pattern). The latest mapping wins. */
  map(pattern: string, mapping: ImageMapping): void {
    if (typeof mapping !== "function" && (!Array.isArray(mapping.command) || mapping.command.length === 0)) {
      throw new Error(`mapImage("${pattern}"): command must name the program to run (a non-empty array)`);
    }
    this.unmap(pattern);
    this.#entries.push({ pattern, matches: imagePatternMatcher(pattern), mapping });
  }

  unmap(pattern: string): boolean {
    const i = this.#entries.findIndex((e) => e.pattern === pattern);
    if (i >= 0) this.#entries.splice(i, 1);
    return i >= 0;
  }

  /** The patterns mapped, latest last (functions show as "function"), for the control API's state. */
  describe(): { pattern: string; program: ImageProgram | "function" }[] {
    return this.#entries.map((e) => ({ pattern: e.pattern, program: typeof e.mapping === "function" ? "function" : e.mapping }));
  }

  /** True when some mapping matches (without calling a function mapping). */
  has(image: string | undefined): boolean {
    return image !== undefined && this.#find(image) !== undefined;
  }

  /** The program for this container, or undefined when its image is not mapped (a scripted container). */
  programFor(container: any, pod: KubeObject): ImageProgram | undefined {
    const entry = this.#find(container?.image ?? "");
    if (!entry) return undefined;
    const program = typeof entry.mapping === "function" ? entry.mapping(container, pod) : entry.mapping;
    if (!program || !Array.isArray(program.command) || program.command.length === 0) {
      throw new Error(`the mapping of image pattern "${entry.pattern}" gave no command for container "${container?.name}"`);
    }
    return program;
  }

  #find(image: string): Entry | undefined {
    for (let i = this.#entries.length - 1; i >= 0; i--) if (this.#entries[i].matches(image)) return this.#entries[i];
    return undefined;
  }
}
