/** Whether a workload's selector matches an object's labels (an invalid selector matches nothing, as the controllers treat it). */

import type { KubeObject } from "../contract.ts";
import { labelSelectorFromObject } from "../selectors/label-selector.ts";

export function selects(owner: KubeObject, o: KubeObject): boolean {
  try {
    return labelSelectorFromObject(owner.spec?.selector)(o.metadata.labels);
  } catch {
    return false;
  }
}
