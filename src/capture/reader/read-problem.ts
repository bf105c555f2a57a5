/** Damage found while reading a capture; readers report it and read on. */
export interface ReadProblem {
  file: string;
  offset: number;
  /** `torn-tail`: the last frame of a file is incomplete (a live file being written, or a crash). */
  kind: "corrupt" | "torn-tail";
  detail: string;
}
