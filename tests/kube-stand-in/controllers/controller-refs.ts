/**
 * The ControllerRefManager's claim (pkg/controller/controller_ref_manager.go): what a controller works on is what it
 * owns and its selector still matches, plus orphans the selector matches, which it adopts (adds itself as their
 * controller). An owned object the selector no longer matches is released (the reference removed). Nothing is
 * adopted or released while the owner is being deleted, nor is an orphan that is itself being deleted.
 */

import type { KubeObject, ResourceType } from "../contract.ts";
import { labelSelectorFromObject } from "../selectors/label-selector.ts";
import { type ControllerContext, statusCode } from "./controller-context.ts";
import { clone } from "./object-json.ts";
import { controllerOf, controllerRefTo } from "./owner-references.ts";

export function claim(ctx: ControllerContext, owner: KubeObject, type: ResourceType, candidates: KubeObject[]): KubeObject[] {
  const matches = labelSelectorFromObject(owner.spec?.selector);
  const ownerGoing = !!owner.metadata.deletionTimestamp;
  const out: KubeObject[] = [];
  for (const o of candidates) {
    const ref = controllerOf(o);
    if (ref?.uid === owner.metadata.uid) {
      if (matches(o.metadata.labels) || ownerGoing) out.push(o);
      else write(ctx, type, o, (c) => (c.metadata.ownerReferences = (c.metadata.ownerReferences ?? []).filter((r) => r.uid !== owner.metadata.uid)));
    } else if (!ref && !ownerGoing && !o.metadata.deletionTimestamp && matches(o.metadata.labels)) {
      const adopted = write(ctx, type, o, (c) => (c.metadata.ownerReferences = [...(c.metadata.ownerReferences ?? []), controllerRefTo(owner)]));
      if (adopted) out.push(adopted);
    }
  }
  return out;
}

/** A guarded read-modify-write (uid and resourceVersion as preconditions); undefined when someone else got there first. */
function write(ctx: ControllerContext, type: ResourceType, o: KubeObject, change: (copy: KubeObject) => void): KubeObject | undefined {
  const copy = clone(o);
  change(copy);
  if (copy.metadata.ownerReferences?.length === 0) delete copy.metadata.ownerReferences;
  try {
    return ctx.store.update(type, copy);
  } catch (e) {
    const code = statusCode(e);
    if (code === 404 || code === 409) return undefined;
    throw e;
  }
}
