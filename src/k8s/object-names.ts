/**
 * Names, namespaces, label keys and values and annotation keys as the API server validates them,
 * with its messages: k8s.io/apimachinery pkg/util/validation/validation.go (IsDNS1123Label,
 * IsDNS1123Subdomain, MaxLenError "characters", RegexError) and pkg/api/validate/content
 * (kube.go IsLabelKey/IsLabelValue, whose MaxLenError says "bytes"); the callers as in
 * pkg/api/validation/objectmeta.go (names: NameIsDNSSubdomain; namespaces: DNS-1123 labels;
 * annotations: keys lower-cased, 256 KiB in total) and pkg/apis/meta/v1/validation (labels).
 * A failure reads as field.Invalid prints it: `Invalid value: "Foo": <message>`.
 */
import { Schema } from "effect";
import { issueAt } from "./problem.ts";

const dns1123LabelFmt = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const dns1123LabelErrMsg = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
const dns1123LabelMaxLength = 63;
const dns1123SubdomainFmt = `${dns1123LabelFmt}(\\.${dns1123LabelFmt})*`;
const dns1123SubdomainErrorMsg = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
const dns1123SubdomainMaxLength = 253;
const labelKeyFmt = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
const labelKeyErrMsg = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const labelKeyMaxLength = 63;
const labelValueFmt = `(${labelKeyFmt})?`;
const labelValueErrMsg = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const labelValueMaxLength = 63;
/** TotalAnnotationSizeLimitB. */
export const annotationsBytesMax = 256 * 1024;

const dns1123Label = new RegExp(`^${dns1123LabelFmt}$`);
const dns1123Subdomain = new RegExp(`^${dns1123SubdomainFmt}$`);
const labelKey = new RegExp(`^${labelKeyFmt}$`);
const labelValue = new RegExp(`^${labelValueFmt}$`);

const bytesOf = (s: string): number => Buffer.byteLength(s, "utf8");
const maxLenCharacters = (n: number): string => `must be no more than ${n} characters`;
const maxLenBytes = (n: number): string => `must be no more than ${n} bytes`;

function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${fmt}')`;
  return `${msg} (e.g. ${examples.map((e) => `'${e}', `).join(" or ")}regex used for validation is '${fmt}')`;
}

export function isDNS1123Label(value: string): string[] {
  const errs: string[] = [];
  if (bytesOf(value) > dns1123LabelMaxLength) errs.push(maxLenCharacters(dns1123LabelMaxLength));
  if (!dns1123Label.test(value)) {
    // A valid subdomain that is not a valid label: with the length checked, it must be dots.
    errs.push(dns1123Subdomain.test(value) ? "must not contain dots" : regexError(dns1123LabelErrMsg, dns1123LabelFmt, "my-name", "123-abc"));
  }
  return errs;
}

export function isDNS1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (bytesOf(value) > dns1123SubdomainMaxLength) errs.push(maxLenCharacters(dns1123SubdomainMaxLength));
  if (!dns1123Subdomain.test(value)) errs.push(regexError(dns1123SubdomainErrorMsg, dns1123SubdomainFmt, "example.com"));
  return errs;
}

/** content.IsLabelKey (a "qualified name"): an optional DNS-subdomain prefix and "/", then a name. */
export function isQualifiedName(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split("/");
  let name: string;
  if (parts.length === 1) {
    name = parts[0] as string;
  } else if (parts.length === 2) {
    const prefix = parts[0] as string;
    name = parts[1] as string;
    // The content package's IsDNS1123Subdomain says "bytes" where util/validation says "characters".
    if (prefix.length === 0) errs.push("prefix part must be non-empty");
    else errs.push(...isDNS1123Subdomain(prefix).map((m) => `prefix part ${m.replace(/ characters$/, " bytes")}`));
  } else {
    return [`a valid label key ${regexError(labelKeyErrMsg, labelKeyFmt, "MyName", "my.name", "123-abc")} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`];
  }
  if (name.length === 0) errs.push("name part must be non-empty");
  else if (bytesOf(name) > labelKeyMaxLength) errs.push(`name part ${maxLenBytes(labelKeyMaxLength)}`);
  if (!labelKey.test(name)) errs.push(`name part ${regexError(labelKeyErrMsg, labelKeyFmt, "MyName", "my.name", "123-abc")}`);
  return errs;
}

export function isLabelValue(value: string): string[] {
  const errs: string[] = [];
  if (bytesOf(value) > labelValueMaxLength) errs.push(maxLenBytes(labelValueMaxLength));
  if (!labelValue.test(value)) errs.push(regexError(labelValueErrMsg, labelValueFmt, "MyValue", "my_value", "12345"));
  return errs;
}

/** field.Invalid's text: `Invalid value: "Foo": msg` (several messages of one value joined by "; "). */
export function invalidValue(value: string, messages: readonly string[]): string {
  return `Invalid value: ${JSON.stringify(value)}: ${messages.join("; ")}`;
}

const checked = (validate: (v: string) => string[]) =>
  Schema.makeFilter((v: string) => {
    const errs = validate(v);
    return errs.length === 0 || issueAt([], invalidValue(v, errs));
  });

/** metadata.name of every kind the twin reads (NameIsDNSSubdomain). */
export const ObjectName = Schema.NonEmptyString.check(checked(isDNS1123Subdomain));
/** metadata.name of a Namespace, and metadata.namespace (ValidateNamespaceName: a DNS-1123 label). */
export const NamespaceName = Schema.NonEmptyString.check(checked(isDNS1123Label));
/** metadata.namespace as written: "" means the default namespace. */
export const NamespaceField = Schema.String.check(Schema.makeFilter((v: string) => {
  const errs = v === "" ? [] : isDNS1123Label(v);
  return errs.length === 0 || issueAt([], invalidValue(v, errs));
}));

/** Labels, matchLabels and nodeSelector: qualified-name keys, label-syntax values (ValidateLabels). */
export const Labels = Schema.Record(Schema.String, Schema.String).check(
  Schema.makeFilter((labels: Readonly<Record<string, string>>) => {
    for (const [key, value] of Object.entries(labels)) {
      const keyErrs = isQualifiedName(key);
      if (keyErrs.length > 0) return issueAt([key], invalidValue(key, keyErrs), { pointAt: "key" });
      const valueErrs = isLabelValue(value);
      if (valueErrs.length > 0) return issueAt([key], invalidValue(value, valueErrs));
    }
    return true;
  }),
);

/** Annotations: keys are qualified names once lower-cased; 256 KiB of keys and values in all (ValidateAnnotations). */
export const Annotations = Schema.Record(Schema.String, Schema.String).check(
  Schema.makeFilter((annotations: Readonly<Record<string, string>>) => {
    let bytes = 0;
    for (const [key, value] of Object.entries(annotations)) {
      const errs = isQualifiedName(key.toLowerCase());
      if (errs.length > 0) return issueAt([key], invalidValue(key, errs), { pointAt: "key" });
      bytes += bytesOf(key) + bytesOf(value);
    }
    return bytes <= annotationsBytesMax || issueAt([], `Too long: may not be more than ${annotationsBytesMax} bytes`);
  }),
);
