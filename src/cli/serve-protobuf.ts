/**
 * The Kubernetes protobuf bodies kubectl's typed clients send (`kubectl create namespace`,
 * `create deployment`, `create job`): the "k8s\0" envelope around a runtime.Unknown
 * (apimachinery pkg/runtime/types_proto.go: typeMeta = 1 {apiVersion = 1, kind = 2}, raw = 2),
 * the object read into JSON with the field numbers of k8s.io/api's generated.proto for the fields
 * those generators write, each one checked against the bytes kubectl 1.32 sends (a field number
 * not seen there is not listed). Fields not listed are skipped,
 * as the JSON codec skips unknown fields; empty strings and empty messages (proto2's unset
 * optionals, as gogo-protobuf writes them) are left out. The JSON then goes through the one codec.
 */
type Json = Record<string, unknown>;

type Field =
  | { name: string; type: "string" | "int" | "bool" | "strings" }
  | { name: string; type: "map" }
  | { name: string; type: "message" | "messages"; of: Message };
interface Message {
  [field: number]: Field;
}

const objectMeta: Message = { 1: { name: "name", type: "string" }, 2: { name: "generateName", type: "string" }, 3: { name: "namespace", type: "string" }, 11: { name: "labels", type: "map" } };
const labelSelector: Message = { 1: { name: "matchLabels", type: "map" } };
const containerPort: Message = { 1: { name: "name", type: "string" }, 3: { name: "containerPort", type: "int" }, 4: { name: "protocol", type: "string" } };
const container: Message = {
  1: { name: "name", type: "string" }, 2: { name: "image", type: "string" }, 3: { name: "command", type: "strings" },
  6: { name: "ports", type: "messages", of: containerPort }, 14: { name: "imagePullPolicy", type: "string" },
};
const podSpec: Message = { 2: { name: "containers", type: "messages", of: container }, 3: { name: "restartPolicy", type: "string" } };
const podTemplate: Message = { 1: { name: "metadata", type: "message", of: objectMeta }, 2: { name: "spec", type: "message", of: podSpec } };
const deploymentSpec: Message = {
  1: { name: "replicas", type: "int" }, 2: { name: "selector", type: "message", of: labelSelector }, 3: { name: "template", type: "message", of: podTemplate },
  4: { name: "strategy", type: "message", of: { 1: { name: "type", type: "string" } } }, 5: { name: "minReadySeconds", type: "int" }, 7: { name: "paused", type: "bool" },
};
const jobSpec: Message = { 6: { name: "template", type: "message", of: podTemplate } };

const objects: Readonly<Record<string, Message>> = {
  "v1/Namespace": { 1: { name: "metadata", type: "message", of: objectMeta } },
  "apps/v1/Deployment": { 1: { name: "metadata", type: "message", of: objectMeta }, 2: { name: "spec", type: "message", of: deploymentSpec } },
  "batch/v1/Job": { 1: { name: "metadata", type: "message", of: objectMeta }, 2: { name: "spec", type: "message", of: jobSpec } },
};

const envelope: Message = { 1: { name: "typeMeta", type: "message", of: { 1: { name: "apiVersion", type: "string" }, 2: { name: "kind", type: "string" } } } };
const magic = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

export class ProtobufError extends Error {}

class Reader {
  at: number;
  readonly bytes: Buffer;
  readonly end: number;

  constructor(bytes: Buffer, from: number, end: number) {
    this.bytes = bytes;
    this.at = from;
    this.end = end;
  }

  varint(): number {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.at >= this.end) throw new ProtobufError("protobuf: cut short");
      const b = this.bytes[this.at++]!;
      value += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) return value;
      scale *= 128;
    }
    throw new ProtobufError("protobuf: varint too long");
  }

  chunk(): Reader {
    const length = this.varint();
    if (this.at + length > this.end) throw new ProtobufError("protobuf: length past the end");
    const r = new Reader(this.bytes, this.at, this.at + length);
    this.at += length;
    return r;
  }

  text(): string {
    const c = this.chunk();
    return this.bytes.toString("utf8", c.at, c.end);
  }

  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 2) this.chunk();
    else if (wire === 1) this.at += 8;
    else if (wire === 5) this.at += 4;
    else throw new ProtobufError(`protobuf: wire type ${wire} not read`);
  }
}

function mapEntry(r: Reader, value: (r: Reader) => string): [string, string] {
  let key = "";
  let v = "";
  while (r.at < r.end) {
    const tag = r.varint();
    if (tag >> 3 === 1 && (tag & 7) === 2) key = r.text();
    else if (tag >> 3 === 2 && (tag & 7) === 2) v = value(r);
    else r.skip(tag & 7);
  }
  return [key, v];
}

function readMessage(r: Reader, schema: Message): Json {
  const out: Json = {};
  while (r.at < r.end) {
    const tag = r.varint();
    const field = schema[tag >> 3];
    if (field === undefined) {
      r.skip(tag & 7);
      continue;
    }
    switch (field.type) {
      case "string": {
        const s = r.text();
        if (s !== "") out[field.name] = s;
        break;
      }
      case "int":
        out[field.name] = r.varint();
        break;
      case "bool":
        out[field.name] = r.varint() !== 0;
        break;
      case "strings":
        out[field.name] = [...((out[field.name] as string[] | undefined) ?? []), r.text()];
        break;
      case "map": {
        const [k, v] = mapEntry(r.chunk(), (e) => e.text());
        out[field.name] = { ...((out[field.name] as Json | undefined) ?? {}), [k]: v };
        break;
      }
      case "message": {
        const m = readMessage(r.chunk(), field.of);
        if (Object.keys(m).length > 0) out[field.name] = m;
        break;
      }
      case "messages":
        out[field.name] = [...((out[field.name] as Json[] | undefined) ?? []), readMessage(r.chunk(), field.of)];
        break;
    }
  }
  return out;
}

export function isKubeProtobuf(contentType: string | undefined): boolean {
  return (contentType ?? "").startsWith("application/vnd.kubernetes.protobuf");
}

/** A protobuf body as the JSON object it holds, or a ProtobufError naming what is not read. */
export function protobufToJson(body: Buffer): Json {
  if (body.length < 4 || !body.subarray(0, 4).equals(magic)) throw new ProtobufError("protobuf: no k8s envelope");
  const r = new Reader(body, 4, body.length);
  let typeMeta: Json = {};
  let raw: Reader | undefined;
  while (r.at < r.end) {
    const tag = r.varint();
    if (tag >> 3 === 1 && (tag & 7) === 2) typeMeta = readMessage(r.chunk(), (envelope[1] as { of: Message }).of);
    else if (tag >> 3 === 2 && (tag & 7) === 2) raw = r.chunk();
    else r.skip(tag & 7);
  }
  const apiVersion = String(typeMeta.apiVersion ?? "");
  const kind = String(typeMeta.kind ?? "");
  const schema = objects[`${apiVersion}/${kind}`];
  if (schema === undefined) throw new ProtobufError(`the twin reads protobuf only for ${Object.keys(objects).join(", ")}, not ${apiVersion}/${kind}: send JSON (kubectl create -f, apply -f)`);
  return { apiVersion, kind, ...(raw === undefined ? {} : readMessage(raw, schema)) };
}
