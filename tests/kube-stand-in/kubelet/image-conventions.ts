/**
 * Scripted failures, chosen by the container's image reference (documented in docs/testing.md):
 * - contains `never-pulls` (e.g. `registry.example/api:never-pulls`): the pull fails for ever — waiting
 *   ErrImagePull, then ImagePullBackOff, again and again; the pod stays Pending and a Deployment rolling out to it
 *   ends with ProgressDeadlineExceeded.
 * - contains `crashloop`: the container starts, exits with code 1 after `crashAfter` cluster seconds, is restarted
 *   (restartCount + 1, new containerID, the old instance kept for `previous=true`), and goes into CrashLoopBackOff
 *   with the kubelet's doubling back-off.
 * - contains `never-ready`: runs, but is never Ready (a readiness probe that always fails).
 */

export interface ImageBehaviour {
  neverPulls: boolean;
  crashLoops: boolean;
  neverReady: boolean;
}

export function imageBehaviour(image: string | undefined): ImageBehaviour {
  const i = image ?? "";
  return { neverPulls: i.includes("never-pulls"), crashLoops: i.includes("crashloop"), neverReady: i.includes("never-ready") };
}

/** What the runtime reports as the image's digest reference: stable per image, so the same image gives the same imageID. */
export function imageIdFor(image: string): string {
  const hasher = new Bun.CryptoHasher("sha256");
  hasher.update(image);
  const repo = image.replace(/@.*$/, "").replace(/:[^/:]*$/, "");
  return `${repo}@sha256:${hasher.digest("hex")}`;
}

export function errImagePullMessage(image: string): string {
  return `rpc error: code = NotFound desc = failed to pull and unpack image "${image}": failed to resolve reference "${image}": ${image}: not found`;
}
