/**
 * Pod IPs for pods that run programs: addresses in 127.0.0.0/8, which is all loopback on Linux, so a program can
 * bind its real port on its own address and anyone on the machine reaches it there — `status.podIP` is an address
 * that works. Each kubelet takes a random block 127.A.B.0/24 (A ≠ 0, so 127.0.0.1 is never a pod's), and moves to
 * another block when it runs out: stand-ins in other test processes on the same machine almost never share one.
 */

function randomByte(min: number, max: number): number {
  return min + Math.floor(Math.random() * (max - min + 1));
}

export class LoopbackIPs {
  #a = randomByte(1, 254);
  #b = randomByte(0, 255);
  #next = 2;
  readonly #used = new Set<string>();

  allocate(): string {
    if (this.#next > 254) {
      this.#a = randomByte(1, 254);
      this.#b = randomByte(0, 255);
      this.#next = 2;
    }
    const ip = `127.${this.#a}.${this.#b}.${this.#next++}`;
    if (this.#used.has(ip)) return this.allocate();
    this.#used.add(ip);
    return ip;
  }
}

/** True for an address a pod program can be reached on (loopback). Scripted pods' 10.244.x.y addresses are not. */
export function reachablePodIP(ip: string | undefined): boolean {
  return !!ip && ip.startsWith("127.");
}
