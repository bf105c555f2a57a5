/**
 * ControllerRevisions, the history StatefulSets and DaemonSets keep of their templates (`kubectl rollout history`
 * reads them): one per distinct template, named `<owner>-<hash>`, owned by the workload, `revision` increasing. A
 * template that comes back (an undo, an untap) reuses its revision object under a new revision number. The
 * StatefulSet controller reads old templates back from here to recreate pods below the partition at the old revision.
 */

import type { KubeObject } from "../contract.ts";
import type { ControllerContext } from "./controller-context.ts";
import { clone, jsonEqual } from "./object-json.ts";
import { controlledBy, controllerRefTo } from "./owner-references.ts";
import { podTemplateHash } from "./pod-template-hash.ts";

export interface Revision {
  name: string;
  hash: string;
}

export class ControllerRevisions {
  /** Used only when the store does not serve controllerrevisions. */
  readonly #fallback = new Map<string, any>();

  constructor(private readonly ctx: ControllerContext) {}

  /** The revision for `owner`'s current template, created (or renumbered as the newest) when needed. */
  ensure(owner: KubeObject): Revision {
    // StatefulSets and DaemonSets always hash with a collision count (0 until a collision), unlike Deployments.
    const hash = podTemplateHash(owner.spec?.template, owner.status?.collisionCount ?? 0);
    const name = `${owner.metadata.name}-${hash}`;
    const type = this.ctx.types.controllerrevisions;
    if (!type) {
      this.#fallback.set(`${owner.metadata.uid}/${name}`, clone(owner.spec?.template));
      return { name, hash };
    }
    const { store } = this.ctx;
    const all = this.list(owner);
    const newest = all.reduce((n, r) => Math.max(n, r.revision ?? 0), 0);
    const existing = all.find((r) => r.metadata.name === name);
    if (!existing) {
      store.create(type, {
        apiVersion: "apps/v1",
        kind: "ControllerRevision",
        metadata: {
          name,
          namespace: owner.metadata.namespace,
          labels: { ...(owner.spec?.template?.metadata?.labels ?? {}), "controller.kubernetes.io/hash": hash },
          ownerReferences: [controllerRefTo(owner)],
        },
        data: { spec: { template: { ...clone(owner.spec?.template ?? {}), $patch: "replace" } } },
        revision: newest + 1,
      });
    } else if ((existing.revision ?? 0) < newest) {
      store.update(type, { ...existing, revision: newest + 1 });
    }
    return { name, hash };
  }

  /** The template recorded under revision `name`, if it is still there. */
  template(owner: KubeObject, name: string): any | undefined {
    const type = this.ctx.types.controllerrevisions;
    if (!type) return clone(this.#fallback.get(`${owner.metadata.uid}/${name}`));
    const rev = this.ctx.store.get(type, owner.metadata.namespace, name);
    if (!rev || !jsonEqual(rev.metadata.ownerReferences?.[0]?.uid, owner.metadata.uid)) return undefined;
    const { $patch: _p, ...template } = (rev as any).data?.spec?.template ?? {};
    return template;
  }

  list(owner: KubeObject): any[] {
    const type = this.ctx.types.controllerrevisions;
    if (!type) return [];
    return controlledBy(owner, this.ctx.store.list(type, owner.metadata.namespace).items);
  }
}
