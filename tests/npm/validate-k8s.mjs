// Validates Kubernetes objects as `splitbench deploy` renders them (or as `kubectl kustomize`
// builds them) without a cluster:
//   1. each object against the Kubernetes OpenAPI schema of its apiVersion and kind
//      (kubernetes-models' .validate());
//   2. splitbench's own rules: names are DNS-1123, each Deployment's selector matches its pod
//      template's labels, each Service selects a workload and its targetPorts are that
//      workload's container ports, every Deployment container has readiness and liveness
//      probes, every container requests and limits cpu and memory, and a load Job is Indexed
//      with parallelism = completions = the N of its `--shard $(JOB_COMPLETION_INDEX)/N`.
//
// Usage: node validate-k8s.mjs FILE... (YAML or JSON, several documents each; Kustomization
// documents are skipped). Prints how many objects passed; on the first failure prints
// "KIND/NAME in FILE: ERROR" to stderr and exits 1; exits 2 for unusable input.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node validate-k8s.mjs FILE...");
  process.exit(2);
}

/** "apps/v1" -> "kubernetes-models/apps/v1/Deployment" */
function modelPath(apiVersion, kind) {
  return `kubernetes-models/${apiVersion}/${kind}`;
}

const objects = [];
for (const file of files) {
  let docs;
  try {
    docs = parseAllDocuments(readFileSync(file, "utf8"));
  } catch (e) {
    console.error(`${file}: ${e.message}`);
    process.exit(2);
  }
  for (const doc of docs) {
    if (doc.errors.length > 0) {
      console.error(`${file}: not YAML: ${doc.errors[0].message}`);
      process.exit(1);
    }
    const object = doc.toJS();
    if (object === null || object === undefined) continue;
    if (object.kind === "Kustomization") continue;
    objects.push({ file, object });
  }
}

function fail(object, file, message) {
  const name = object?.metadata?.name ?? "(no name)";
  console.error(`${object?.kind ?? "(no kind)"}/${name} in ${file}: ${message}`);
  process.exit(1);
}

// 1. The schemas.
for (const { file, object } of objects) {
  if (typeof object.apiVersion !== "string" || typeof object.kind !== "string") fail(object, file, "no apiVersion or kind");
  let model;
  try {
    model = await import(modelPath(object.apiVersion, object.kind));
  } catch {
    fail(object, file, `no schema for apiVersion ${object.apiVersion}, kind ${object.kind}`);
  }
  const Model = model[object.kind];
  try {
    new Model(object).validate();
  } catch (e) {
    fail(object, file, e.message.replace(/\s+/g, " "));
  }
}

// 2. splitbench's rules.
const dns1123Label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const dns1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const podTemplate = (o) => (o.kind === "Deployment" || o.kind === "Job" ? o.spec?.template : undefined);
const containersOf = (o) => podTemplate(o)?.spec?.containers ?? [];
const selects = (selector, labels) =>
  Object.entries(selector ?? {}).length > 0 && Object.entries(selector).every(([k, v]) => labels?.[k] === v);

for (const { file, object } of objects) {
  const name = object.metadata?.name ?? "";
  const nameRule = object.kind === "Service" || object.kind === "Namespace" ? dns1123Label : dns1123Subdomain;
  if (!nameRule.test(name) || name.length > 63) fail(object, file, `name '${name}' is not a DNS-1123 ${nameRule === dns1123Label ? "label" : "subdomain"} of at most 63 characters`);
  if (object.metadata?.namespace !== undefined && !dns1123Label.test(object.metadata.namespace))
    fail(object, file, `namespace '${object.metadata.namespace}' is not a DNS-1123 label`);

  if (object.kind === "Deployment") {
    const labels = podTemplate(object)?.metadata?.labels;
    if (!selects(object.spec?.selector?.matchLabels, labels))
      fail(object, file, `selector ${JSON.stringify(object.spec?.selector)} does not match the pod template's labels ${JSON.stringify(labels)}`);
  }
  for (const c of containersOf(object)) {
    if (object.kind === "Deployment") {
      for (const probe of ["readinessProbe", "livenessProbe"])
        if (!object.spec.template.spec.containers.every((x) => x[probe]?.httpGet?.path === "/health"))
          fail(object, file, `container ${c.name} has no ${probe} on /health`);
    }
    for (const kind of ["requests", "limits"])
      for (const resource of ["cpu", "memory"])
        if (c.resources?.[kind]?.[resource] === undefined) fail(object, file, `container ${c.name} has no ${kind}.${resource}`);
  }
  if (object.kind === "Job") {
    const s = object.spec ?? {};
    if (s.completionMode !== "Indexed") fail(object, file, `completionMode is ${s.completionMode}, not Indexed`);
    if (!(s.parallelism >= 1 && s.parallelism === s.completions))
      fail(object, file, `parallelism ${s.parallelism} and completions ${s.completions} differ`);
    const command = containersOf(object)[0]?.command ?? [];
    const shard = command[command.indexOf("--shard") + 1];
    if (shard !== `$(JOB_COMPLETION_INDEX)/${s.completions}`)
      fail(object, file, `--shard is '${shard}', not '$(JOB_COMPLETION_INDEX)/${s.completions}'`);
  }
  if (object.kind === "Service") {
    const workloads = objects.filter(({ object: w }) => w.kind === "Deployment" && selects(object.spec?.selector, podTemplate(w)?.metadata?.labels));
    if (workloads.length === 0) fail(object, file, `selector ${JSON.stringify(object.spec?.selector)} selects no Deployment here`);
    for (const { object: w } of workloads) {
      const ports = containersOf(w).flatMap((c) => c.ports ?? []);
      for (const p of object.spec.ports ?? []) {
        const target = p.targetPort ?? p.port;
        if (!ports.some((cp) => cp.name === target || cp.containerPort === target))
          fail(object, file, `targetPort ${target} is no container port of Deployment ${w.metadata.name}`);
      }
    }
  }
}

console.log(`${objects.length} objects valid`);
