/** Per command, the permissions the current user lacks (issue 11 §3), from the answers of one round of reviews. */

import { COMMAND_NAMES, COMMAND_PERMISSIONS, permissionKey, type CommandName } from "./permissions.ts";
import type { Permission } from "../rbac-permission.ts";

export interface CommandAccess {
  ok: boolean;
  missing: Permission[];
}

export type PermissionsByCommand = Record<CommandName, CommandAccess>;

/** Every permission any command needs: what one review round asks. */
export function allCommandPermissions(): Permission[] {
  return COMMAND_NAMES.flatMap((c) => COMMAND_PERMISSIONS[c]);
}

export function commandAccess(answers: ReadonlyMap<string, boolean>): PermissionsByCommand {
  const out = {} as PermissionsByCommand;
  for (const c of COMMAND_NAMES) {
    // A permission needed for two reasons (tap lists pods itself and grants that to the forwarder) is named once.
    const seen = new Set<string>();
    const missing = COMMAND_PERMISSIONS[c].filter((p) => {
      const key = permissionKey(p);
      if (seen.has(key)) return false;
      seen.add(key);
      return answers.get(key) !== true;
    });
    out[c] = { ok: missing.length === 0, missing };
  }
  return out;
}
