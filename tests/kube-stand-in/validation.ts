/**
 * The validation clients trip over (pkg/apis/{core,apps}/validation), with the real field paths and texts, so a
 * client that writes a broken pod template (a volumeMount naming no volume, two containers of one name, a selector
 * its template does not match) is refused here as on a real cluster. Not every rule is here: see docs/testing.md.
 */

import type { KubeObject, ResourceType } from "./contract.ts";
import { labelSelectorFromObject } from "./selectors/label-selector.ts";
import { badRequest, invalid, type FieldError } from "./status-errors.ts";

type Obj = Record<string, any>;

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

const SUBDOMAIN_TEXT =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_TEXT =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1035_TEXT =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

const required = (field: string, why?: string): FieldError => ({ reason: "FieldValueRequired", field, detail: why ? `Required value: ${why}` : "Required value" });
const invalidValue = (field: string, value: unknown, why: string): FieldError => ({ reason: "FieldValueInvalid", field, detail: `Invalid value: ${goValue(value)}: ${why}` });
const duplicate = (field: string, value: unknown): FieldError => ({ reason: "FieldValueDuplicate", field, detail: `Duplicate value: ${goValue(value)}` });
const notFoundValue = (field: string, value: unknown): FieldError => ({ reason: "FieldValueNotFound", field, detail: `Not found: ${goValue(value)}` });
const unsupported = (field: string, value: unknown, supported: string[]): FieldError => ({
  reason: "FieldValueNotSupported",
  field,
  detail: `Unsupported value: ${goValue(value)}: supported values: ${supported.map((s) => `"${s}"`).join(", ")}`,
});
const forbiddenField = (field: string, why: string): FieldError => ({ reason: "FieldValueForbidden", field, detail: `Forbidden: ${why}` });

/** Go's %#v-ish rendering the real messages use: strings quoted, string maps as map[string]string{...}. */
function goValue(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v);
  if (v && typeof v === "object" && !Array.isArray(v) && Object.values(v).every((x) => typeof x === "string")) {
    const entries = Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${JSON.stringify((v as Obj)[k])}`);
    return `map[string]string{${entries.join(", ")}}`;
  }
  return JSON.stringify(v);
}

/** Decoding errors the real server reports as 400 before validation: label and annotation values must be strings. */
export function checkDecodable(type: ResourceType, obj: KubeObject): void {
  if (obj === null || typeof obj !== "object" || Array.isArray(obj)) throw badRequest(`the object provided is not a JSON object`);
  const meta = (obj as Obj).metadata;
  if (meta !== undefined && (meta === null || typeof meta !== "object" || Array.isArray(meta))) {
    throw badRequest(`${type.kind} in version "${type.version}" cannot be handled as a ${type.kind}: json: cannot unmarshal ${jsonKind(meta)} into Go struct field ${type.kind}.metadata of type v1.ObjectMeta`);
  }
  for (const field of ["labels", "annotations"]) {
    const m = meta?.[field];
    if (m === undefined || m === null) continue;
    if (typeof m !== "object" || Array.isArray(m)) {
      throw badRequest(`${type.kind} in version "${type.version}" cannot be handled as a ${type.kind}: json: cannot unmarshal ${jsonKind(m)} into Go struct field ObjectMeta.metadata.${field} of type map[string]string`);
    }
    for (const v of Object.values(m)) {
      if (typeof v !== "string") {
        throw badRequest(`${type.kind} in version "${type.version}" cannot be handled as a ${type.kind}: json: cannot unmarshal ${jsonKind(v)} into Go struct field ObjectMeta.metadata.${field} of type string`);
      }
    }
  }
}

function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return "array";
  if (v === null) return "null";
  return typeof v === "object" ? "object" : typeof v === "boolean" ? "bool" : typeof v;
}

function validateName(type: ResourceType, meta: Obj, errs: FieldError[]): void {
  const name: string | undefined = meta.name;
  if (!name) {
    if (!meta.generateName) errs.push(required("metadata.name", "name or generateName is required"));
    return;
  }
  if (type.group === "rbac.authorization.k8s.io") {
    // Path-segment names: anything but "/", "%", "." and "..".
    if (name === "." || name === ".." || name.includes("/") || name.includes("%")) errs.push(invalidValue("metadata.name", name, `may not contain '/' or '%'`));
    return;
  }
  if (type.resource === "namespaces") {
    if (!DNS1123_LABEL.test(name) || name.length > 63) errs.push(invalidValue("metadata.name", name, LABEL_TEXT));
  } else if (type.resource === "services") {
    if (!DNS1035_LABEL.test(name) || name.length > 63) errs.push(invalidValue("metadata.name", name, DNS1035_TEXT));
  } else if (!DNS1123_SUBDOMAIN.test(name) || name.length > 253) {
    errs.push(invalidValue("metadata.name", name, SUBDOMAIN_TEXT));
  }
}

function validateContainers(list: unknown, path: string, volumeNames: Set<string>, seen: Set<string>, errs: FieldError[], requireAny: boolean): void {
  if (list === undefined || list === null || (Array.isArray(list) && list.length === 0)) {
    if (requireAny) errs.push(required(path));
    return;
  }
  if (!Array.isArray(list)) {
    errs.push(invalidValue(path, list, "must be a list"));
    return;
  }
  list.forEach((c: Obj, i: number) => {
    const p = `${path}[${i}]`;
    if (!c || typeof c !== "object") return errs.push(invalidValue(p, c, "must be an object"));
    if (!c.name) errs.push(required(`${p}.name`));
    else if (seen.has(c.name)) errs.push(duplicate(`${p}.name`, c.name));
    else seen.add(c.name);
    if (!c.image) errs.push(required(`${p}.image`));
    const mounts = new Set<string>();
    (Array.isArray(c.volumeMounts) ? c.volumeMounts : []).forEach((m: Obj, j: number) => {
      const mp = `${p}.volumeMounts[${j}]`;
      if (!m?.name) errs.push(required(`${mp}.name`));
      else if (!volumeNames.has(m.name)) errs.push(notFoundValue(`${mp}.name`, m.name));
      if (!m?.mountPath) errs.push(required(`${mp}.mountPath`));
      else if (mounts.has(m.mountPath)) errs.push(invalidValue(`${mp}.mountPath`, m.mountPath, "must be unique"));
      else mounts.add(m.mountPath);
    });
    (Array.isArray(c.env) ? c.env : []).forEach((e: Obj, j: number) => {
      if (!e?.name) errs.push(required(`${p}.env[${j}].name`));
    });
  });
}

export function validatePodSpec(spec: Obj | undefined, path: string, errs: FieldError[], opts: { template: boolean; restartPolicies?: string[] }): void {
  if (!spec || typeof spec !== "object") {
    errs.push(required(`${path}.containers`));
    return;
  }
  const volumeNames = new Set<string>();
  (Array.isArray(spec.volumes) ? spec.volumes : []).forEach((v: Obj, i: number) => {
    if (!v?.name) errs.push(required(`${path}.volumes[${i}].name`));
    else if (volumeNames.has(v.name)) errs.push(duplicate(`${path}.volumes[${i}].name`, v.name));
    else volumeNames.add(v.name);
  });
  const seen = new Set<string>();
  validateContainers(spec.containers, `${path}.containers`, volumeNames, seen, errs, true);
  validateContainers(spec.initContainers, `${path}.initContainers`, volumeNames, seen, errs, false);
  (Array.isArray(spec.initContainers) ? spec.initContainers : []).forEach((c: Obj, i: number) => {
    if (c?.restartPolicy !== undefined && c.restartPolicy !== "Always") errs.push(unsupported(`${path}.initContainers[${i}].restartPolicy`, c.restartPolicy, ["Always"]));
  });
  const policies = opts.restartPolicies ?? ["Always", "OnFailure", "Never"];
  if (spec.restartPolicy !== undefined && !policies.includes(spec.restartPolicy)) errs.push(unsupported(`${path}.restartPolicy`, spec.restartPolicy, policies));
}

function validateWorkload(type: ResourceType, obj: Obj, old: Obj | undefined, errs: FieldError[]): void {
  const spec = obj.spec;
  if (!spec || typeof spec !== "object") {
    errs.push(required("spec.selector"));
    return;
  }
  if (spec.replicas !== undefined && (typeof spec.replicas !== "number" || spec.replicas < 0)) {
    errs.push(invalidValue("spec.replicas", spec.replicas, "must be greater than or equal to 0"));
  }
  const sel = spec.selector;
  if (!sel) errs.push(required("spec.selector"));
  else if (!Object.keys(sel.matchLabels ?? {}).length && !(sel.matchExpressions ?? []).length) {
    errs.push(invalidValue("spec.selector", sel, `empty selector is invalid for ${type.singular}`));
  } else {
    const labels = spec.template?.metadata?.labels;
    let matches = false;
    try {
      matches = labelSelectorFromObject(sel)(labels ?? {});
    } catch (e) {
      errs.push(invalidValue("spec.selector", sel, (e as Error).message));
    }
    if (!matches) errs.push(invalidValue("spec.template.metadata.labels", labels ?? {}, "`selector` does not match template `labels`"));
    if (old && JSON.stringify(old.spec?.selector) !== JSON.stringify(sel)) errs.push(invalidValue("spec.selector", sel, "field is immutable"));
  }
  validatePodSpec(spec.template?.spec, "spec.template.spec", errs, { template: true, restartPolicies: ["Always"] });
}

/** Pod spec fields an update may change (ValidatePodUpdate). */
function podSpecUpdateShape(spec: Obj | undefined): Obj {
  const s = structuredClone(spec ?? {});
  for (const c of s.containers ?? []) delete c.image;
  for (const c of s.initContainers ?? []) delete c.image;
  delete s.activeDeadlineSeconds;
  delete s.tolerations;
  delete s.terminationGracePeriodSeconds;
  // Scheduling binds a pod once (through pods/binding on a real cluster; the stand-in's scheduler writes it).
  delete s.nodeName;
  return s;
}

/** Throws the 422 a real server gives for `obj` (on create when `old` is undefined, else on update). */
export function validate(type: ResourceType, obj: KubeObject, old?: KubeObject): void {
  const errs: FieldError[] = [];
  const o = obj as Obj;
  if (!old) validateName(type, o.metadata ?? {}, errs);
  switch (`${type.group}/${type.resource}`) {
    case "apps/deployments":
    case "apps/replicasets":
    case "apps/statefulsets":
    case "apps/daemonsets":
      validateWorkload(type, o, old as Obj | undefined, errs);
      break;
    case "/pods":
      validatePodSpec(o.spec, "spec", errs, { template: false });
      if (old) {
        const before = podSpecUpdateShape((old as Obj).spec);
        const after = podSpecUpdateShape(o.spec);
        if (JSON.stringify(before) !== JSON.stringify(after)) {
          errs.push(
            forbiddenField(
              "spec",
              "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
            ),
          );
        }
        if ((old as Obj).spec?.nodeName && o.spec?.nodeName !== (old as Obj).spec.nodeName) errs.push(invalidValue("spec.nodeName", o.spec?.nodeName ?? "", "field is immutable"));
      }
      break;
    case "/services": {
      const spec = o.spec ?? {};
      const headless = spec.clusterIP === "None";
      if (spec.type !== "ExternalName" && !headless && !(Array.isArray(spec.ports) && spec.ports.length)) errs.push(required("spec.ports"));
      const supported = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"];
      if (spec.type && !supported.includes(spec.type)) errs.push(unsupported("spec.type", spec.type, supported));
      if (old && (old as Obj).spec?.clusterIP && spec.clusterIP !== (old as Obj).spec.clusterIP && spec.type !== "ExternalName") {
        errs.push(invalidValue("spec.clusterIPs[0]", spec.clusterIPs ?? [spec.clusterIP], "may not change once set"));
      }
      break;
    }
    case "rbac.authorization.k8s.io/rolebindings":
    case "rbac.authorization.k8s.io/clusterrolebindings": {
      const ref = o.roleRef;
      if (!ref?.name) errs.push(required("roleRef.name"));
      if (!ref?.kind) errs.push(required("roleRef.kind"));
      else if (type.resource === "clusterrolebindings" ? ref.kind !== "ClusterRole" : !["Role", "ClusterRole"].includes(ref.kind)) {
        errs.push(unsupported("roleRef.kind", ref.kind, type.resource === "clusterrolebindings" ? ["ClusterRole"] : ["Role", "ClusterRole"]));
      }
      if (old && JSON.stringify((old as Obj).roleRef) !== JSON.stringify(ref)) errs.push(invalidValue("roleRef", ref, "cannot change roleRef"));
      break;
    }
  }
  if (errs.length) throw invalid(type, o.metadata?.name ?? "", errs);
}

