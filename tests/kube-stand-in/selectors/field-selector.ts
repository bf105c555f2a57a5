/**
 * Field selectors as the API server takes them: apimachinery pkg/fields/selector.go parses the text (terms split
 * on unescaped commas and sorted, each split at its first "!=", "==" or "="; values unescaped), then every term
 * goes through the kind's field-label conversion (k8s pkg/apis/core/v1/conversion.go; kinds without one, such as
 * all of apps/v1, get runtime.DefaultMetaV1FieldSelectorConversion), and objects are matched on the fields their
 * registry strategy exposes (ToSelectableFields / GetAttrs). Every failure is the server's 400 with Go's message.
 */

import { badRequest } from "../patch/status-error.ts";

export interface FieldMatcher {
  (object: unknown): boolean;
  /** The terms after conversion (spec.host becomes spec.nodeName), in the sorted order Go keeps them. */
  readonly terms: readonly FieldTerm[];
}

export interface FieldTerm {
  field: string;
  operator: "=" | "!=";
  value: string;
}

type Get = (o: any) => string;
interface FieldRules {
  /** Accepted labels, each with how the registry computes its value; a string value renames the label. */
  fields: Record<string, Get | string>;
  reject: (label: string) => string;
}

const str = (v: unknown) => (v === undefined || v === null ? "" : String(v));
const name: Get = (o) => str(o?.metadata?.name);
const namespace: Get = (o) => str(o?.metadata?.namespace);
/** A label the conversion accepts but the strategy does not expose: fields.Set.Get gives "". */
const absent: Get = () => "";
const notSupported = (label: string) => `field label not supported: ${label}`;

const rulesByResource: Record<string, FieldRules> = {
  // pkg/registry/core/pod/strategy.go ToSelectableFields; conversion also accepts status.podIPs (never exposed).
  pods: {
    fields: {
      "metadata.name": name,
      "metadata.namespace": namespace,
      "spec.nodeName": (o) => str(o?.spec?.nodeName),
      "spec.restartPolicy": (o) => str(o?.spec?.restartPolicy),
      "spec.schedulerName": (o) => str(o?.spec?.schedulerName),
      "spec.serviceAccountName": (o) => str(o?.spec?.serviceAccountName),
      "spec.hostNetwork": (o) => String(o?.spec?.hostNetwork === true),
      "status.phase": (o) => str(o?.status?.phase),
      // The internal object keeps podIPs only; its first entry is the primary IP (v1 status.podIP mirrors it).
      "status.podIP": (o) => str(o?.status?.podIPs?.[0]?.ip ?? o?.status?.podIP),
      "status.podIPs": absent,
      "status.nominatedNodeName": (o) => str(o?.status?.nominatedNodeName),
      // Old v1 clients send spec.host; the conversion renames it.
      "spec.host": "spec.nodeName",
    },
    reject: notSupported,
  },
  // Cluster-scoped: no metadata.namespace, and the conversion does not accept it.
  nodes: {
    fields: { "metadata.name": name, "spec.unschedulable": (o) => String(o?.spec?.unschedulable === true) },
    reject: notSupported,
  },
  namespaces: {
    fields: { "metadata.name": name, "status.phase": (o) => str(o?.status?.phase) },
    reject: notSupported,
  },
  services: {
    fields: {
      "metadata.name": name,
      "metadata.namespace": namespace,
      "spec.clusterIP": (o) => str(o?.spec?.clusterIP),
      "spec.type": (o) => str(o?.spec?.type),
    },
    reject: notSupported,
  },
  secrets: {
    fields: { "metadata.name": name, "metadata.namespace": namespace, type: (o) => str(o?.type) },
    reject: notSupported,
  },
  replicationcontrollers: {
    fields: { "metadata.name": name, "metadata.namespace": namespace, "status.replicas": (o) => str(o?.status?.replicas ?? 0) },
    reject: notSupported,
  },
  // Core v1 events (pkg/registry/core/event/strategy.go): source is source.component, reportingComponent the
  // reportingController.
  events: {
    fields: {
      "metadata.name": name,
      "metadata.namespace": namespace,
      "involvedObject.kind": (o) => str(o?.involvedObject?.kind),
      "involvedObject.namespace": (o) => str(o?.involvedObject?.namespace),
      "involvedObject.name": (o) => str(o?.involvedObject?.name),
      "involvedObject.uid": (o) => str(o?.involvedObject?.uid),
      "involvedObject.apiVersion": (o) => str(o?.involvedObject?.apiVersion),
      "involvedObject.resourceVersion": (o) => str(o?.involvedObject?.resourceVersion),
      "involvedObject.fieldPath": (o) => str(o?.involvedObject?.fieldPath),
      reason: (o) => str(o?.reason),
      reportingComponent: (o) => str(o?.reportingController),
      source: (o) => str(o?.source?.component),
      type: (o) => str(o?.type),
    },
    reject: notSupported,
  },
};

/**
 * Every other kind (configmaps, serviceaccounts, deployments, statefulsets, daemonsets, replicasets, roles, …):
 * name and namespace only. The namespace of a cluster-scoped object is "" (it is not in its field set).
 */
const defaultRules: FieldRules = {
  fields: { "metadata.name": name, "metadata.namespace": namespace },
  reject: (label) => `"${label}" is not a known field selector: only "metadata.name", "metadata.namespace"`,
};

/**
 * Parses a `fieldSelector` for a resource, named by its plural as in the URL ("pods", "deployments"). Throws a 400
 * KubeStatusError with the real message; "" matches everything.
 */
export function parseFieldSelector(text: string, resource: string): FieldMatcher {
  const rules = Object.prototype.hasOwnProperty.call(rulesByResource, resource) ? rulesByResource[resource]! : defaultRules;
  const terms: FieldTerm[] = [];
  for (const part of splitTerms(text).sort()) {
    if (part === "") continue;
    const split = splitTerm(part);
    if (!split) throw badRequest(`invalid selector: '${text}'; can't understand '${part}'`);
    const [lhs, op, rhs] = split;
    terms.push({ field: lhs, operator: op === "!=" ? "!=" : "=", value: unescapeValue(rhs) });
  }
  // Transform runs after the whole text parsed, term by term in sorted order: the first bad label is reported.
  const getters: Get[] = terms.map((term) => {
    let rule = Object.prototype.hasOwnProperty.call(rules.fields, term.field) ? rules.fields[term.field] : undefined;
    if (rule === undefined) throw badRequest(rules.reject(term.field));
    if (typeof rule === "string") {
      term.field = rule;
      rule = rules.fields[rule] as Get;
    }
    return rule;
  });
  const match = (object: unknown) => terms.every((t, i) => (getters[i]!(object) === t.value) === (t.operator === "="));
  return Object.assign(match, { terms });
}

/** Backslash-escaped commas are data, not separators; the backslash stays for UnescapeValue. */
function splitTerms(selector: string): string[] {
  if (selector.length === 0) return [];
  const terms: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (inSlash) inSlash = false;
    else if (c === "\\") inSlash = true;
    else if (c === ",") {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(selector.slice(start));
  return terms;
}

/** The first position where "!=", "==" or "=" starts, tried in that order; the left side is never unescaped. */
function splitTerm(term: string): [string, string, string] | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of ["!=", "==", "="]) {
      if (term.startsWith(op, i)) return [term.slice(0, i), op, term.slice(i + op.length)];
    }
  }
  return undefined;
}

/** fields.UnescapeValue: \\ \, \= are escapes; any other escape, a trailing \, or a bare , or = is an error. */
function unescapeValue(s: string): string {
  if (!/[\\,=]/.test(s)) return s;
  let out = "";
  let inSlash = false;
  for (const c of s) {
    if (inSlash) {
      if (c !== "\\" && c !== "," && c !== "=") throw badRequest(`invalid field selector: invalid escape sequence: \\${c}`);
      out += c;
      inSlash = false;
    } else if (c === "\\") {
      inSlash = true;
    } else if (c === "," || c === "=") {
      // Go formats the rune with %v, which prints its number: '=' is 61, ',' is 44.
      throw badRequest(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`);
    } else {
      out += c;
    }
  }
  if (inSlash) throw badRequest("invalid field selector: invalid escape sequence: \\");
  return out;
}
