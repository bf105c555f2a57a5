/**
 * `/openapi/v2`: a document with no definitions. kubectl validates a `kind: List` file client-side whatever the
 * server's OpenAPI v3 offers — List is no served kind, so no PATCH operation can hand its validation to the server —
 * and that means downloading v2; a 404 fails `kubectl apply -f list.yaml` outright ("error validating data: the
 * server could not find the requested resource"). With a document, kubectl validates each item against the item's
 * definition, and skips an item whose kind has none: so none here, and every item still gets the server's
 * `fieldValidation=Strict` when it is sent (field-validation.ts). No definitions also keeps `kubectl apply` building
 * its patches from compiled-in types (openapi.ts) and leaves `kubectl explain` without schemas, as before.
 *
 * kubectl asks for the protobuf form (gnostic's openapi_v2.Document) and uses no other; JSON is what a real server
 * sends any other client.
 */

/** kubectl's Accept names `…spec.v2@v1.0+protobuf`; the answer's type is spelled without the `@`, which Go's mime
 * parser refuses ("unexpected content after media subtype"), as kube-openapi's handler spells it. */
const PROTOBUF_V2 = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

/** A length-delimited protobuf field (wire type 2); every field here is shorter than 128 bytes. */
function field(n: number, bytes: Uint8Array): Uint8Array {
  if (bytes.length > 127) throw new Error("openapi-v2: field too long for a one-byte length");
  return new Uint8Array([(n << 3) | 2, bytes.length, ...bytes]);
}

const utf8 = (s: string) => new TextEncoder().encode(s);

export function openApiV2(accept: string | null, version: string): Response {
  if (accept?.includes("application/com.github.proto-openapi.spec.v2") === true) {
    // Document { swagger = 1; info = 2 (Info { title = 1; version = 2 }); paths = 8 }.
    const info = new Uint8Array([...field(1, utf8("Kubernetes")), ...field(2, utf8(version))]);
    const doc = new Uint8Array([...field(1, utf8("2.0")), ...field(2, info), ...field(8, new Uint8Array())]);
    return new Response(doc, { headers: { "content-type": PROTOBUF_V2 } });
  }
  return Response.json({ swagger: "2.0", info: { title: "Kubernetes", version }, paths: {}, definitions: {} });
}
