/**
 * Names, namespaces, labels and annotations are validated as the API server validates them, with
 * its messages (apimachinery pkg/util/validation/validation.go, pkg/api/validate/content/kube.go).
 * Cases below are the kinds upstream's validation_test.go lists: good and bad by construction.
 */
import { describe, expect, it } from "vitest";
import { isDNS1123Label, isDNS1123Subdomain, isLabelValue, isQualifiedName } from "../../src/k8s/object-names.ts";
import type { ScenarioError } from "../../src/scenario/load.ts";
import { lineOf, loadText } from "../scenario/helpers.ts";

const subdomainMsg =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const labelMsg =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const labelValueMsg =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const keyNameMsg =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

describe("the validators, as upstream's", () => {
  it("DNS-1123 subdomain: lower case, dots between labels, at most 253 characters", () => {
    for (const good of ["a", "ab", "a-b", "0", "1-2", "a.b", "a.b.c", "11.22.33", "a".repeat(253)]) expect(isDNS1123Subdomain(good)).toEqual([]);
    for (const bad of ["", "A", "ABC", "a_b", "-a", "a-", "a..b", ".a", "a.", "a@b", "a b", "a\u001b[31m"]) expect(isDNS1123Subdomain(bad)).toEqual([subdomainMsg]);
    expect(isDNS1123Subdomain("a".repeat(254))).toEqual(["must be no more than 253 characters"]);
  });

  it("DNS-1123 label: a subdomain without dots, at most 63 characters", () => {
    for (const good of ["a", "a-b", "123-abc", "a".repeat(63)]) expect(isDNS1123Label(good)).toEqual([]);
    expect(isDNS1123Label("a.b")).toEqual(["must not contain dots"]);
    expect(isDNS1123Label("Ab")).toEqual([labelMsg]);
    expect(isDNS1123Label("a".repeat(64))).toEqual(["must be no more than 63 characters"]);
  });

  it("qualified names (label and annotation keys): an optional subdomain prefix and a name part", () => {
    for (const good of ["simple", "now-with-dashes", "1-starts-with-num", "1234", "simple/simple", "now-with-dashes/simple", "now-with-dashes/now-with-dashes", "now.with.dots/simple", "now-with.dashes-and.dots/simple", "1-num.2-num/3-num", "1234/5678", "1.2.3.4/5678", "Uppercase_Is_OK_123", "example.com/Uppercase_Is_OK_123", "requests.storage-foo", "a".repeat(63), `${"a".repeat(253)}/${"b".repeat(63)}`]) {
      expect(isQualifiedName(good)).toEqual([]);
    }
    expect(isQualifiedName("nospecialchars%^=@")).toEqual([keyNameMsg]);
    expect(isQualifiedName("/simple")).toEqual(["prefix part must be non-empty"]);
    expect(isQualifiedName("example.com/")).toEqual(["name part must be non-empty", keyNameMsg]);
    expect(isQualifiedName("Example.com/x")[0]).toMatch(/^prefix part a lowercase RFC 1123 subdomain/);
    expect(isQualifiedName("a/b/c")[0]).toMatch(/^a valid label key must consist of .* with an optional DNS subdomain prefix and '\/' \(e\.g\. 'example\.com\/MyName'\)$/);
    expect(isQualifiedName("a".repeat(64))).toEqual(["name part must be no more than 63 bytes"]);
    expect(isQualifiedName(`${"a".repeat(254)}/b`)).toEqual(["prefix part must be no more than 253 bytes"]);
  });

  it("label values: empty, or up to 63 bytes of the name-part syntax", () => {
    for (const good of ["", "simple", "now-with-dashes", "1-starts-with-num", "end-with-num-1", "1234", "a".repeat(63), "Uppercase_Is_OK_123"]) expect(isLabelValue(good)).toEqual([]);
    for (const bad of ["nospecialchars%^=@", "Tama-nui-te-rā.is.Māori.sun", "\\backslashes\\are\\bad", "-starts-with-dash", "ends-with-dash-", ".starts.with.dot", "ends.with.dot."]) {
      expect(isLabelValue(bad)).toEqual([labelValueMsg]);
    }
    expect(isLabelValue("a".repeat(64))).toEqual(["must be no more than 63 bytes"]);
  });
});

const header = `apiVersion: kubetwin/v1
kind: Scenario
metadata: {name: names}
spec:
  duration: 10m
  cluster:
    nodePools:
      - {name: p, count: 1, allocatable: {cpu: "2", memory: 4Gi}}
  workloads:
    - file: objects.yaml
`;

function errorOf(objects: string): ScenarioError {
  const result = loadText(header, { "objects.yaml": objects });
  if (result.ok) throw new Error("expected an error, the scenario loaded");
  return result.error;
}

const deployment = (meta: string, templateLabels = "{app: web}", matchLabels = "{app: web}") => `apiVersion: apps/v1
kind: Deployment
metadata: ${meta}
spec:
  selector: {matchLabels: ${matchLabels}}
  template:
    metadata: {labels: ${templateLabels}}
    spec: {containers: [{name: c}]}
`;

describe("manifests with names the API server would refuse are errors at the field, in upstream's words", () => {
  it("an object name that is not a DNS-1123 subdomain", () => {
    const objects = deployment("{name: Web_1}");
    expect(errorOf(objects)).toMatchObject({ file: "scenarios/objects.yaml", line: lineOf(objects, "Web_1"), path: "metadata.name", message: `Invalid value: "Web_1": ${subdomainMsg}` });
  });

  it("a namespace that is not a DNS-1123 label, and a Namespace object named like a subdomain", () => {
    expect(errorOf(deployment("{name: web, namespace: shop.prod}"))).toMatchObject({ path: "metadata.namespace", message: 'Invalid value: "shop.prod": must not contain dots' });
    expect(errorOf("apiVersion: v1\nkind: Namespace\nmetadata: {name: shop.prod}\n")).toMatchObject({ path: "metadata.name", message: 'Invalid value: "shop.prod": must not contain dots' });
  });

  it("a label key, a label value, an annotation key; in the object, its pod template and its selector", () => {
    expect(errorOf(deployment("{name: web, labels: {'team/a/b': x}}"))).toMatchObject({ path: 'metadata.labels["team/a/b"]' });
    const value = deployment("{name: web, labels: {tier: -front}}");
    expect(errorOf(value)).toMatchObject({ path: "metadata.labels.tier", line: lineOf(value, "-front"), message: `Invalid value: "-front": ${labelValueMsg}` });
    expect(errorOf(deployment("{name: web, annotations: {'Bad Key': x}}"))).toMatchObject({ path: 'metadata.annotations["Bad Key"]', message: `Invalid value: "Bad Key": ${keyNameMsg}` });
    expect(errorOf(deployment("{name: web}", "{app: 'web!'}", "{app: 'web!'}"))).toMatchObject({ path: "spec.selector.matchLabels.app" });
    expect(errorOf(deployment("{name: web}", "{app: web, 'x y': z}"))).toMatchObject({ path: 'spec.template.metadata.labels["x y"]' });
  });

  it("annotations beyond 256 KiB in all", () => {
    const big = "x".repeat(256 * 1024);
    expect(errorOf(deployment(`{name: web, annotations: {note: "${big}"}}`))).toMatchObject({ path: "metadata.annotations", message: "Too long: may not be more than 262144 bytes" });
  });

  it("upper-case annotation keys are fine: upstream lower-cases them before checking", () => {
    const result = loadText(header, { "objects.yaml": deployment("{name: web, annotations: {Example.COM/Owner: me}}") });
    expect(result.ok).toBe(true);
  });
});
