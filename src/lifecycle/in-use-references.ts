// What workloads run: image references read from the outputs users already have (ECS, Lambda, Kubernetes,
// Amazon Inspector, or a plain list), for a lifecycle policy preview that names the in-use images it would
// expire (`LifecyclePreviewOptions.inUse`). Offline: nothing here calls AWS.
// Every JSON reader takes one output or a JSON array of outputs (`jq -s . a.json b.json`), and refuses
// malformed input with one error naming every bad field.

import * as imageReference from './private/image-reference';
import { ECR_IMAGE_ARN } from '../private/aws-ids';
import { problemList } from '../private/errors';
import { isObject, plural, withoutBom } from '../private/text';

/** How many problems an error lists before summarizing the rest. */
const MAX_LISTED_PROBLEMS = 20;

/**
 * An image a workload uses, as the workload names it.
 */
export interface InUseReference {
  /**
   * The image reference: `<registry>/<repository>:<tag>`, `<registry>/<repository>@sha256:<digest>`, or a bare
   * `sha256:<digest>`. A reference by tag means the image that carries the tag now.
   */
  readonly image: string;

  /**
   * Who uses the image: a task ARN, a function name, `namespace/pod`.
   *
   * @default - the image reference itself
   */
  readonly source?: string;
}

/** Reads one parsed document's references, pushing a problem per bad field. */
type Reader = (document: Record<string, unknown>, where: string, problems: string[], out: InUseReference[]) => void;

/** The JSON outputs `parse` recognizes, by the key that tells them apart, in the order they are tried. */
interface Format {
  readonly what: string;
  readonly detect: (document: Record<string, unknown>) => boolean;
  readonly read: Reader;
}

/**
 * Reads the images workloads use from the outputs of `aws ecs describe-tasks`, `aws ecs describe-task-definition`,
 * `aws lambda get-function`, `kubectl get pods -o json`, `aws inspector2 list-coverage`, or a plain list, for
 * `LifecyclePreviewOptions.inUse`.
 */
export class InUseReferences {
  /**
   * The references in `text`, whichever of the supported outputs it is: JSON is recognized by its keys
   * (`tasks`, `taskDefinition`, `Configuration` and `Code`, `items` or `kind: Pod`, `coveredResources`);
   * anything else is read as a plain list (`fromText`).
   *
   * @param text the output, as printed.
   * @param origin where the text comes from (a file name), for error messages and as the source of plain-list lines.
   * @throws if the text is malformed, naming `origin` and every bad field.
   */
  public static parse(text: string, origin?: string): InUseReference[] {
    const body = withoutBom(text).trimStart();
    if (!body.startsWith('{') && !body.startsWith('[')) {
      return InUseReferences.fromText(text, origin);
    }
    return readJson(text, undefined, origin);
  }

  /**
   * The images of the tasks in `aws ecs describe-tasks` output (`{"tasks": [...]}`): each container's
   * `imageDigest`, the digest the task really runs, with the repository of its `image`; `image` alone while
   * the digest is not known yet. Stopped tasks (`lastStatus: STOPPED`) are skipped. The source is
   * `ecs task <cluster>/<task id> (<container>)`.
   *
   * @param jsonText the JSON printed by `aws ecs describe-tasks --cluster C --tasks ...`.
   * @throws if the output is malformed, naming every bad field.
   * @see https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeTasks.html
   * @see https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Container.html
   */
  public static fromEcsDescribeTasks(jsonText: string): InUseReference[] {
    return readJson(jsonText, ECS_TASKS);
  }

  /**
   * The images of `aws ecs describe-task-definition` output (`{"taskDefinition": {...}}`): each container
   * definition's `image`. The source is `ecs task definition <family>:<revision> (<container>)`.
   *
   * @param jsonText the JSON printed by `aws ecs describe-task-definition --task-definition FAMILY`.
   * @throws if the output is malformed, naming every bad field.
   * @see https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeTaskDefinition.html
   * @see https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html
   */
  public static fromEcsDescribeTaskDefinition(jsonText: string): InUseReference[] {
    return readJson(jsonText, ECS_TASK_DEFINITION);
  }

  /**
   * The image of a container image function in `aws lambda get-function` output: `Code.ResolvedImageUri`
   * (the digest Lambda runs), or `Code.ImageUri`. A .zip function has neither and gives no reference.
   * The source is `lambda function <FunctionName>`.
   *
   * @param jsonText the JSON printed by `aws lambda get-function --function-name NAME`.
   * @throws if the output is malformed, naming every bad field.
   * @see https://docs.aws.amazon.com/lambda/latest/api/API_GetFunction.html
   * @see https://docs.aws.amazon.com/lambda/latest/api/API_FunctionCodeLocation.html
   */
  public static fromLambdaGetFunction(jsonText: string): InUseReference[] {
    return readJson(jsonText, LAMBDA_FUNCTION);
  }

  /**
   * The images of the pods in `kubectl get pods -A -o json` output (a `List` of pods, or one `Pod`): each
   * container's and init container's `imageID` from the pod's status (containerd's
   * `<repository>@sha256:...` and Docker's `docker-pullable://<repository>@sha256:...`), or its `image` when
   * the status has no repository digest (a container not started yet, or Docker's `docker://sha256:` image
   * ID). Pods that have ended (`phase` `Succeeded` or `Failed`) are skipped. The source is
   * `pod <namespace>/<name> (<container>)`.
   *
   * @param jsonText the JSON printed by `kubectl get pods -A -o json`.
   * @throws if the output is malformed, naming every bad field.
   * @see https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#PodStatus
   */
  public static fromKubectlPods(jsonText: string): InUseReference[] {
    return readJson(jsonText, KUBECTL_PODS);
  }

  /**
   * The ECR images Amazon Inspector sees in use, from `aws inspector2 list-coverage` output: each covered
   * resource of type `AWS_ECR_CONTAINER_IMAGE` whose `resourceMetadata.ecrImage.inUseCount` is above 0 (the
   * number of ECS tasks or EKS pods using it), by its `resourceId`
   * (`arn:aws:ecr:<region>:<account>:repository/<name>/sha256:...`). The source says how many and when last.
   *
   * @param jsonText the JSON printed by `aws inspector2 list-coverage` (every page: without `--max-items`).
   * @throws if the output is malformed or a truncated page, naming every bad field.
   * @see https://docs.aws.amazon.com/inspector/v2/APIReference/API_ListCoverage.html
   * @see https://docs.aws.amazon.com/inspector/v2/APIReference/API_EcrContainerImageMetadata.html
   */
  public static fromInspectorCoverage(jsonText: string): InUseReference[] {
    return readJson(jsonText, INSPECTOR_COVERAGE);
  }

  /**
   * A plain list: one image reference a line, optionally followed by whitespace and who uses it; blank lines
   * and `#` comments are skipped. A line without a source gets `<origin> line <n>`.
   *
   * @param text the list.
   * @param origin where the text comes from (a file name), for error messages and sources.
   * @throws if a line is no image reference, naming every bad line.
   */
  public static fromText(text: string, origin?: string): InUseReference[] {
    const problems: string[] = [];
    const references: InUseReference[] = [];
    const lines = withoutBom(text).split('\n');
    for (let n = 0; n < lines.length; n++) {
      const line = lines[n].trim();
      if (line.length === 0 || line.startsWith('#')) continue;
      const space = line.search(/\s/);
      const image = space < 0 ? line : line.slice(0, space);
      const source = space < 0 ? '' : line.slice(space).trim();
      const where = `line ${n + 1}`;
      if (checkReference(image, where, problems)) {
        references.push({ image, source: source.length > 0 ? source : `${origin === undefined ? '' : `${origin} `}${where}` });
      }
    }
    throwProblems(problems, 'image reference list', origin);
    return references;
  }

  private constructor() {}
}

function readJson(text: string, format: Format | undefined, origin?: string): InUseReference[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(withoutBom(text));
  } catch (e) {
    throw new Error(`${origin === undefined ? '' : `${origin}: `}${format?.what ?? 'in-use references'} is not valid JSON: ${(e as Error).message}`);
  }
  const documents = Array.isArray(parsed) ? parsed : [parsed];
  const problems: string[] = [];
  const references: InUseReference[] = [];
  let what = format?.what;
  documents.forEach((document, index) => {
    const where = Array.isArray(parsed) ? `[${index}]` : '';
    const chosen = format ?? (isObject(document) ? FORMATS.find((f) => f.detect(document)) : undefined);
    if (!isObject(document) || chosen === undefined) {
      problems.push(format === undefined
        ? `${where || 'the document'}: not a recognized output; expected the JSON of ${FORMATS.map((f) => f.what).join(', ')}, or a plain list`
        : `${where || 'the document'}: must be an object, the JSON of ${format.what}`);
      return;
    }
    what ??= chosen.what;
    if (!chosen.detect(document)) {
      problems.push(`${where || 'the document'}: not ${chosen.what}`);
      return;
    }
    chosen.read(document, where, problems, references);
  });
  throwProblems(problems, what ?? 'in-use references', origin);
  return references;
}

function throwProblems(problems: string[], what: string, origin: string | undefined): void {
  if (problems.length > 0) {
    // A single document's fields are named from its root (`tasks[0]`), an array's from its index (`[1].tasks[0]`).
    const named = problems.map((p) => (p.startsWith('.') ? p.slice(1) : p));
    throw new Error(problemList(`${origin === undefined ? '' : `${origin}: `}${what} has ${plural(problems.length, 'problem')}`, named, MAX_LISTED_PROBLEMS));
  }
}

/** Pushes a problem and returns false when `image` is no image reference. */
function checkReference(image: string, where: string, problems: string[]): boolean {
  const parsed = imageReference.parse(image);
  if (typeof parsed === 'string') {
    problems.push(`${where}: ${parsed}`);
    return false;
  }
  return true;
}

/** The array at `document[key]`, or a problem (and an empty list). */
function arrayAt(document: Record<string, unknown>, key: string, where: string, problems: string[], required = true): unknown[] {
  const value = document[key];
  if (Array.isArray(value)) return value;
  if (value !== undefined || required) problems.push(`${where}.${key}: must be an array, got ${JSON.stringify(value) ?? 'nothing'}`);
  return [];
}

type JsonObject = Record<string, unknown>;

/**
 * Each object of the array at `document[key]` with its path (`<where>.<key>[i]`); an element that is not an object is
 * a problem and is skipped.
 */
function objectsAt(document: Record<string, unknown>, key: string, where: string, problems: string[], required = true): Array<[JsonObject, string]> {
  const objects: Array<[JsonObject, string]> = [];
  arrayAt(document, key, where, problems, required).forEach((element, i) => {
    const at = `${where}.${key}[${i}]`;
    if (isObject(element)) {
      objects.push([element, at]);
    } else {
      problems.push(`${at}: must be an object`);
    }
  });
  return objects;
}

function stringAt(document: Record<string, unknown>, key: string, where: string, problems: string[]): string | undefined {
  const value = document[key];
  if (typeof value === 'string' && value.length > 0) return value;
  problems.push(`${where}.${key}: must be a non-empty string, got ${JSON.stringify(value) ?? 'nothing'}`);
  return undefined;
}

function optionalString(document: Record<string, unknown>, key: string, where: string, problems: string[]): string | undefined {
  const value = document[key];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string') return value;
  problems.push(`${where}.${key}: must be a string, got ${JSON.stringify(value)}`);
  return undefined;
}

function refusePagination(document: Record<string, unknown>, where: string, problems: string[]): void {
  for (const token of ['nextToken', 'NextToken']) {
    if (document[token] !== undefined && document[token] !== null) {
      problems.push(`${where || 'the document'}: a truncated page: it carries a pagination token "${token}"; run the command without --max-items, and the AWS CLI lists every page`);
    }
  }
}

// aws ecs describe-tasks: { tasks: [{ taskArn, lastStatus, containers: [{ name, image, imageDigest }] }], failures }
const ECS_TASKS: Format = {
  what: '`aws ecs describe-tasks` output',
  detect: (d) => Array.isArray(d.tasks),
  read: (document, where, problems, out) => {
    for (const [task, at] of objectsAt(document, 'tasks', where, problems)) {
      const arn = stringAt(task, 'taskArn', at, problems);
      if (task.lastStatus === 'STOPPED') continue;
      for (const [container, cat] of objectsAt(task, 'containers', at, problems)) {
        const name = stringAt(container, 'name', cat, problems);
        const image = stringAt(container, 'image', cat, problems);
        const digest = optionalString(container, 'imageDigest', cat, problems);
        if (digest !== undefined && !imageReference.isDigest(digest)) {
          problems.push(`${cat}.imageDigest: must be sha256: and 64 lowercase hex digits, got ${JSON.stringify(digest)}`);
          continue;
        }
        if (image === undefined || arn === undefined) continue;
        const reference = digest === undefined ? image : `${imageReference.withoutTagOrDigest(image)}@${digest}`;
        if (checkReference(reference, `${cat}.image`, problems)) {
          out.push({ image: reference, source: `ecs task ${arn.replace(/^arn:[^:]*:ecs:[^:]*:[^:]*:task\//, '')} (${name})` });
        }
      }
    }
  },
};

// aws ecs describe-task-definition: { taskDefinition: { family, revision, containerDefinitions: [{ name, image }] } }
const ECS_TASK_DEFINITION: Format = {
  what: '`aws ecs describe-task-definition` output',
  detect: (d) => d.taskDefinition !== undefined,
  read: (document, where, problems, out) => {
    const definition = document.taskDefinition;
    const at = `${where}.taskDefinition`;
    if (!isObject(definition)) {
      problems.push(`${at}: must be an object`);
      return;
    }
    const family = stringAt(definition, 'family', at, problems);
    const revision = definition.revision;
    for (const [container, cat] of objectsAt(definition, 'containerDefinitions', at, problems)) {
      const name = stringAt(container, 'name', cat, problems);
      const image = stringAt(container, 'image', cat, problems);
      if (image !== undefined && checkReference(image, `${cat}.image`, problems)) {
        out.push({ image, source: `ecs task definition ${family}${typeof revision === 'number' ? `:${revision}` : ''} (${name})` });
      }
    }
  },
};

// aws lambda get-function: { Configuration: { FunctionName, PackageType }, Code: { RepositoryType, ImageUri, ResolvedImageUri } }
const LAMBDA_FUNCTION: Format = {
  what: '`aws lambda get-function` output',
  detect: (d) => isObject(d.Configuration) && isObject(d.Code),
  read: (document, where, problems, out) => {
    const configuration = document.Configuration as Record<string, unknown>;
    const code = document.Code as Record<string, unknown>;
    const name = stringAt(configuration, 'FunctionName', `${where}.Configuration`, problems);
    const resolved = optionalString(code, 'ResolvedImageUri', `${where}.Code`, problems);
    const uri = optionalString(code, 'ImageUri', `${where}.Code`, problems);
    const image = resolved ?? uri;
    if (image === undefined) {
      if (configuration.PackageType === 'Image') {
        problems.push(`${where}.Code: a function of PackageType Image needs "ResolvedImageUri" or "ImageUri"`);
      }
      return;
    }
    if (checkReference(image, `${where}.Code.${resolved === undefined ? 'ImageUri' : 'ResolvedImageUri'}`, problems) && name !== undefined) {
      out.push({ image, source: `lambda function ${name}` });
    }
  },
};

const ENDED_POD_PHASES = ['Succeeded', 'Failed'];
const POD_CONTAINER_LISTS = [['containers', 'containerStatuses'], ['initContainers', 'initContainerStatuses']];

// kubectl get pods -A -o json: { kind: List, items: [{ metadata: { namespace, name }, spec: { containers: [{ name, image }] },
// status: { phase, containerStatuses: [{ name, image, imageID }], initContainerStatuses: [...] } }] }
const KUBECTL_PODS: Format = {
  what: '`kubectl get pods -o json` output',
  detect: (d) => d.kind === 'Pod' || (Array.isArray(d.items) && (d.kind === 'List' || d.kind === 'PodList')),
  read: (document, where, problems, out) => {
    const pods = document.kind === 'Pod' ? [document] : arrayAt(document, 'items', where, problems);
    pods.forEach((pod, p) => {
      const at = document.kind === 'Pod' ? where : `${where}.items[${p}]`;
      if (!isObject(pod) || !isObject(pod.metadata)) {
        problems.push(`${at}: must be a pod object with "metadata"`);
        return;
      }
      const name = stringAt(pod.metadata, 'name', `${at}.metadata`, problems);
      const namespace = optionalString(pod.metadata, 'namespace', `${at}.metadata`, problems) ?? 'default';
      const status = isObject(pod.status) ? pod.status : {};
      if (ENDED_POD_PHASES.includes(status.phase as string)) return;
      const spec = isObject(pod.spec) ? pod.spec : {};
      for (const [specKey, statusKey] of POD_CONTAINER_LISTS) {
        const seen = new Set<string>();
        for (const [entry, sat] of objectsAt(status, statusKey, `${at}.status`, problems, false)) {
          const container = stringAt(entry, 'name', sat, problems);
          const image = podImage(entry, sat, problems);
          if (container === undefined || image === undefined) continue;
          seen.add(container);
          if (checkReference(image, `${sat}.imageID`, problems)) out.push({ image, source: `pod ${namespace}/${name} (${container})` });
        }
        // A container without a status (not started yet) runs its spec's image when it starts.
        for (const [entry, cat] of objectsAt(spec, specKey, `${at}.spec`, problems, false)) {
          const container = stringAt(entry, 'name', cat, problems);
          if (container === undefined || seen.has(container)) continue;
          const image = stringAt(entry, 'image', cat, problems);
          if (image !== undefined && checkReference(image, `${cat}.image`, problems)) {
            out.push({ image, source: `pod ${namespace}/${name} (${container})` });
          }
        }
      }
    });
  },
};

/** A container status's repository digest (`imageID`), or its `image` when `imageID` names no repository. */
function podImage(status: Record<string, unknown>, where: string, problems: string[]): string | undefined {
  const id = optionalString(status, 'imageID', where, problems);
  const parsed = id === undefined ? undefined : imageReference.parse(id);
  if (parsed !== undefined && typeof parsed !== 'string' && parsed.repository !== undefined && parsed.digest !== undefined) {
    return (id as string).replace(/^docker-pullable:\/\//, '');
  }
  return stringAt(status, 'image', where, problems);
}


// aws inspector2 list-coverage: { coveredResources: [{ resourceType, resourceId, accountId,
// resourceMetadata: { ecrImage: { inUseCount, lastInUseAt, tags } } }], nextToken }
const INSPECTOR_COVERAGE: Format = {
  what: '`aws inspector2 list-coverage` output',
  detect: (d) => Array.isArray(d.coveredResources),
  read: (document, where, problems, out) => {
    refusePagination(document, where, problems);
    for (const [resource, at] of objectsAt(document, 'coveredResources', where, problems)) {
      if (resource.resourceType !== 'AWS_ECR_CONTAINER_IMAGE') continue;
      const metadata = isObject(resource.resourceMetadata) && isObject(resource.resourceMetadata.ecrImage) ? resource.resourceMetadata.ecrImage : {};
      const count = metadata.inUseCount;
      if (count === undefined || count === null || count === 0) continue;
      if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0) {
        problems.push(`${at}.resourceMetadata.ecrImage.inUseCount: must be a whole number >= 0, got ${JSON.stringify(count)}`);
        continue;
      }
      const id = stringAt(resource, 'resourceId', at, problems);
      const match = id === undefined ? null : ECR_IMAGE_ARN.exec(id);
      if (id !== undefined && match === null) {
        problems.push(`${at}.resourceId: must be an ECR image ARN, arn:aws:ecr:<region>:<account>:repository/<name>/sha256:<digest>, got ${JSON.stringify(id)}`);
        continue;
      }
      if (match === null) continue;
      const [, partition, region, account, repository, digest] = match;
      const last = metadata.lastInUseAt;
      const when = typeof last === 'string' ? `, last ${last}` : typeof last === 'number' ? `, last ${new Date(last * 1000).toISOString()}` : '';
      out.push({
        image: `${account}.dkr.ecr.${region}.${partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com'}/${repository}@${digest}`,
        source: `amazon inspector: in use by ${plural(count, 'ECS task or EKS pod')}${when}`,
      });
    }
  },
};

const FORMATS: readonly Format[] = [ECS_TASKS, ECS_TASK_DEFINITION, LAMBDA_FUNCTION, KUBECTL_PODS, INSPECTOR_COVERAGE];
