/**
 * The follow benchmark's cluster, in a process of its own (so its CPU is measured apart and does not take the
 * followers' event loop): the stand-in with controllers and kubelet at 100× cluster time, the kubelet keeping no
 * line history (only counts; hours of lines would otherwise fill its memory). Writes an admin kubeconfig, prints
 * `ready <url>` on stdout, runs until SIGTERM.
 *
 * Run: bun scripts/bench/follow/stand-in.ts <kubeconfig>
 */

import { createControllers } from "../../../tests/kube-stand-in/controllers/index.ts";
import { createKubelet } from "../../../tests/kube-stand-in/kubelet/index.ts";
import { writeKubeconfig } from "../../../tests/kube-stand-in/kubeconfig.ts";
import { StandIn } from "../../../tests/kube-stand-in/stand-in.ts";

const path = process.argv[2];
if (!path) throw new Error("usage: bun scripts/bench/follow/stand-in.ts <kubeconfig>");
const controllers = createControllers({ timeScale: 0.01 });
const kubelet = createKubelet({ clock: controllers.clock, keepHistory: false });
const k = await new StandIn({ components: [controllers, kubelet], namespaces: ["bench"] }).start(0);
const pair = k.clientCertificate("admin", ["system:masters"]);
writeKubeconfig(path, { server: k.url, caCert: k.ca.caCert, userName: "admin", cert: pair.cert, key: pair.key, namespace: "bench" });
process.stdout.write(`ready ${k.url}\n`);
process.on("SIGTERM", () => void k.stop().then(() => process.exit(0)));
