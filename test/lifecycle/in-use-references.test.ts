// InUseReferences: the readers of what workloads run, on real-shaped outputs (test/fixtures/in-use), their
// format detection, and their errors.
import { readFileSync } from 'fs';
import { join } from 'path';
import { InUseReferences } from '../../src';

const read = (name: string) => readFileSync(join(__dirname, '..', 'fixtures', 'in-use', name), 'utf8');
const REPO = '123456789012.dkr.ecr.us-east-1.amazonaws.com/my-app';
const digest = (c: string) => `sha256:${c.repeat(64)}`;

describe('InUseReferences.fromEcsDescribeTasks', () => {
  // "imageDigest: The container image manifest digest." and "image: The image used for the container."
  // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Container.html
  test('reads each running container\'s imageDigest with the repository of its image', () => {
    const references = InUseReferences.fromEcsDescribeTasks(read('ecs-describe-tasks.json'));
    expect(references[0]).toEqual({ image: `${REPO}@${digest('1')}`, source: 'ecs task prod/0a1b2c3d4e5f60718293a4b5c6d7e8f9 (web)' });
    expect(references[1].image).toBe(`public.ecr.aws/aws-observability/aws-for-fluent-bit@${digest('f')}`);
  });

  test('reads the image by tag while the task has no digest yet', () => {
    const references = InUseReferences.fromEcsDescribeTasks(read('ecs-describe-tasks.json'));
    expect(references[2]).toEqual({ image: `${REPO}:pr-42`, source: 'ecs task prod/9f8e7d6c5b4a39281706f5e4d3c2b1a0 (web)' });
  });

  // "Currently, stopped tasks appear in the returned results for at least one hour."
  // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeTasks.html
  test('skips stopped tasks', () => {
    const references = InUseReferences.fromEcsDescribeTasks(read('ecs-describe-tasks.json'));
    expect(references.map((r) => r.image)).not.toContain(`${REPO}@${digest('5')}`);
    expect(references).toHaveLength(3);
  });

  test('reads a JSON array of several outputs (jq -s)', () => {
    const one = read('ecs-describe-tasks.json');
    expect(InUseReferences.fromEcsDescribeTasks(`[${one},${one}]`)).toHaveLength(6);
  });

  test('refuses a container without an image, naming the field', () => {
    const text = JSON.stringify({ tasks: [{ taskArn: 'arn:aws:ecs:us-east-1:123456789012:task/prod/1', containers: [{ name: 'web' }] }] });
    expect(() => InUseReferences.fromEcsDescribeTasks(text)).toThrow(/`aws ecs describe-tasks` output has 1 problem:\n {2}- tasks\[0\]\.containers\[0\]\.image: must be a non-empty string, got nothing/);
  });

  test('refuses a digest that is not sha256', () => {
    const text = JSON.stringify({ tasks: [{ taskArn: 'arn:1', containers: [{ name: 'web', image: `${REPO}:1`, imageDigest: 'md5:abc' }] }] });
    expect(() => InUseReferences.fromEcsDescribeTasks(text)).toThrow(/tasks\[0\]\.containers\[0\]\.imageDigest: must be sha256: and 64 lowercase hex digits, got "md5:abc"/);
  });

  test('refuses another command\'s output', () => {
    expect(() => InUseReferences.fromEcsDescribeTasks(read('lambda-get-function.json'))).toThrow(/the document: not `aws ecs describe-tasks` output/);
  });
});

describe('InUseReferences.fromEcsDescribeTaskDefinition', () => {
  // "image: The image used to start a container. ... Other repositories are specified with either
  // repository-url/image:tag or repository-url/image@digest."
  // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html
  test('reads each container definition\'s image, by tag or digest', () => {
    expect(InUseReferences.fromEcsDescribeTaskDefinition(read('ecs-describe-task-definition.json'))).toEqual([
      { image: `${REPO}:prod-1.1.0`, source: 'ecs task definition web:12 (web)' },
      { image: `${REPO}@${digest('5')}`, source: 'ecs task definition web:12 (migrate)' },
    ]);
  });

  test('refuses a task definition without containerDefinitions', () => {
    expect(() => InUseReferences.fromEcsDescribeTaskDefinition(JSON.stringify({ taskDefinition: { family: 'web' } })))
      .toThrow(/taskDefinition\.containerDefinitions: must be an array, got nothing/);
  });
});

describe('InUseReferences.fromLambdaGetFunction', () => {
  // FunctionCodeLocation: "ImageUri: URI of a container image in the Amazon ECR registry." and
  // "ResolvedImageUri: The resolved URI for the image."
  // https://docs.aws.amazon.com/lambda/latest/api/API_FunctionCodeLocation.html
  test('reads Code.ResolvedImageUri, the digest the function runs', () => {
    expect(InUseReferences.fromLambdaGetFunction(read('lambda-get-function.json'))).toEqual([
      { image: `${REPO}@${digest('2')}`, source: 'lambda function thumbnailer' },
    ]);
  });

  test('falls back to Code.ImageUri', () => {
    const text = JSON.stringify({ Configuration: { FunctionName: 'f', PackageType: 'Image' }, Code: { RepositoryType: 'ECR', ImageUri: `${REPO}:v1` } });
    expect(InUseReferences.fromLambdaGetFunction(text)).toEqual([{ image: `${REPO}:v1`, source: 'lambda function f' }]);
  });

  test('a .zip function gives no reference', () => {
    const text = JSON.stringify({ Configuration: { FunctionName: 'f', PackageType: 'Zip' }, Code: { RepositoryType: 'S3', Location: 'https://example.com/x' } });
    expect(InUseReferences.fromLambdaGetFunction(text)).toEqual([]);
  });

  test('refuses an image function without an image URI', () => {
    const text = JSON.stringify({ Configuration: { FunctionName: 'f', PackageType: 'Image' }, Code: { RepositoryType: 'ECR' } });
    expect(() => InUseReferences.fromLambdaGetFunction(text)).toThrow(/Code: a function of PackageType Image needs "ResolvedImageUri" or "ImageUri"/);
  });
});

describe('InUseReferences.fromKubectlPods', () => {
  // ContainerStatus: "image: Image is the name of container image that the container is running." and "imageID:
  // ImageID is the image ID of the container's image. The image ID may not match the image ID of the image used
  // in the PodSpec, as it may have been resolved by the runtime."; PodStatus "initContainerStatuses: Statuses of
  // init containers in this pod." and "phase: ... Succeeded: All containers in the pod have terminated in
  // success ... Failed: All containers in the pod have terminated".
  // https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#PodStatus
  const references = () => InUseReferences.fromKubectlPods(read('kubectl-pods.json'));

  test('reads containerd\'s imageID (<repository>@sha256:...) of containers and init containers', () => {
    expect(references()).toEqual(expect.arrayContaining([
      { image: `${REPO}@${digest('2')}`, source: 'pod shop/web-7d4b9c8f6d-x2x9q (web)' },
      { image: `${REPO}@${digest('5')}`, source: 'pod shop/web-7d4b9c8f6d-x2x9q (migrate)' },
    ]));
  });

  test('reads Docker\'s docker-pullable:// imageID without its prefix', () => {
    expect(references()).toContainEqual({ image: `${REPO}@${digest('6')}`, source: 'pod batch/worker-0 (worker)' });
  });

  test('reads the image by tag while a container has no imageID yet', () => {
    expect(references()).toContainEqual({ image: `${REPO}:pr-42`, source: 'pod shop/web-7d4b9c8f6d-pending (web)' });
  });

  test('skips pods that have ended', () => {
    expect(references().map((r) => r.source)).not.toContain('pod batch/report-28490120-abcde (report)');
    expect(references()).toHaveLength(5);
  });

  test('reads a Docker image ID (docker://sha256:...) as the status\'s image, which has the repository', () => {
    const pod = {
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'n' },
      spec: { containers: [{ name: 'c', image: `${REPO}:v1` }] },
      status: { phase: 'Running', containerStatuses: [{ name: 'c', image: `${REPO}:v1`, imageID: `docker://${digest('9')}` }] },
    };
    expect(InUseReferences.fromKubectlPods(JSON.stringify(pod))).toEqual([{ image: `${REPO}:v1`, source: 'pod n/p (c)' }]);
  });

  test('reads a spec container that has no status yet', () => {
    const pod = { kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: `${REPO}:v2` }] }, status: { phase: 'Pending' } };
    expect(InUseReferences.fromKubectlPods(JSON.stringify(pod))).toEqual([{ image: `${REPO}:v2`, source: 'pod default/p (c)' }]);
  });

  test('refuses a pod without metadata, naming it', () => {
    const list = { kind: 'List', items: [{ spec: {} }] };
    expect(() => InUseReferences.fromKubectlPods(JSON.stringify(list))).toThrow(/items\[0\]: must be a pod object with "metadata"/);
  });
});

describe('InUseReferences.fromInspectorCoverage', () => {
  // CoveredResource "resourceId: The ID of the covered resource." (pattern arn:...:ecr:...:repository/<name>/sha256:<hex>);
  // EcrContainerImageMetadata "inUseCount: The number of Amazon ECS tasks or Amazon EKS pods where the Amazon ECR
  // container image is in use." and "lastInUseAt: The last time an Amazon ECR image was used in an Amazon ECS task
  // or Amazon EKS pod."
  // https://docs.aws.amazon.com/inspector/v2/APIReference/API_CoveredResource.html
  // https://docs.aws.amazon.com/inspector/v2/APIReference/API_EcrContainerImageMetadata.html
  test('reads the ECR images in use (inUseCount above 0) by their resource ARN', () => {
    expect(InUseReferences.fromInspectorCoverage(read('inspector2-list-coverage.json'))).toEqual([
      { image: `${REPO}@${digest('1')}`, source: 'amazon inspector: in use by 3 ECS task or EKS pods, last 2026-06-01T11:00:00+00:00' },
    ]);
  });

  test('reads a China region ARN as an amazonaws.com.cn registry', () => {
    const text = JSON.stringify({ coveredResources: [{ resourceType: 'AWS_ECR_CONTAINER_IMAGE', resourceId: `arn:aws-cn:ecr:cn-north-1:123456789012:repository/app/${digest('a')}`, resourceMetadata: { ecrImage: { inUseCount: 1 } } }] });
    expect(InUseReferences.fromInspectorCoverage(text)[0].image).toBe(`123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/app@${digest('a')}`);
  });

  test('refuses a truncated page', () => {
    expect(() => InUseReferences.fromInspectorCoverage(JSON.stringify({ coveredResources: [], nextToken: 'x' })))
      .toThrow(/a truncated page: it carries a pagination token "nextToken"/);
  });

  test('refuses an image resource whose id is no image ARN', () => {
    const text = JSON.stringify({ coveredResources: [{ resourceType: 'AWS_ECR_CONTAINER_IMAGE', resourceId: 'arn:aws:ecr:us-east-1:123456789012:repository/app', resourceMetadata: { ecrImage: { inUseCount: 2 } } }] });
    expect(() => InUseReferences.fromInspectorCoverage(text)).toThrow(/coveredResources\[0\]\.resourceId: must be an ECR image ARN/);
  });
});

describe('InUseReferences.fromText', () => {
  test('reads one reference a line, with an optional source; skips comments and blank lines', () => {
    expect(InUseReferences.fromText(read('in-use.txt'), 'in-use.txt')).toEqual([
      { image: `${REPO}:prod-0.9.0`, source: 'nightly-report' },
      { image: `${REPO}@${digest('4')}`, source: 'in-use.txt line 3' },
      { image: digest('5'), source: 'canary' },
    ]);
  });

  test('refuses every bad line, naming the file and the line', () => {
    expect(() => InUseReferences.fromText(`${REPO}:.x owner\n${REPO}@sha256:12\n`, 'refs.txt')).toThrow([
      'refs.txt: image reference list has 2 problems:',
      '  - line 1: the tag after ":" must be 1 to 128 letters, digits, "_", "." or "-" (not starting with "." or "-"), got ".x"',
      '  - line 2: the digest after "@" must be sha256: and 64 lowercase hex digits, got "sha256:12"',
    ].join('\n'));
  });

  test('refuses an empty repository name', () => {
    expect(() => InUseReferences.fromText('registry.example.com/:v1')).toThrow(/line 1: no repository name in "registry.example.com\/:v1"/);
  });
});

describe('InUseReferences.parse', () => {
  test.each([
    ['ecs-describe-tasks.json', 3],
    ['ecs-describe-task-definition.json', 2],
    ['lambda-get-function.json', 1],
    ['kubectl-pods.json', 5],
    ['inspector2-list-coverage.json', 1],
    ['in-use.txt', 3],
  ])('recognizes %s', (name, count) => {
    expect(InUseReferences.parse(read(name), name)).toHaveLength(count);
  });

  test('reads an array that mixes outputs', () => {
    const text = `[${read('lambda-get-function.json')},${read('ecs-describe-task-definition.json')}]`;
    expect(InUseReferences.parse(text).map((r) => r.source)).toEqual(['lambda function thumbnailer', 'ecs task definition web:12 (web)', 'ecs task definition web:12 (migrate)']);
  });

  test('refuses JSON it doesn\'t recognize, naming the origin and the formats', () => {
    expect(() => InUseReferences.parse('{"imageDetails": []}', 'images.json')).toThrow(/^images\.json: in-use references has 1 problem:\n {2}- the document: not a recognized output; expected the JSON of `aws ecs describe-tasks` output, /);
  });

  test('refuses malformed JSON, naming the origin', () => {
    expect(() => InUseReferences.parse('{"tasks": [', 'tasks.json')).toThrow(/^tasks\.json: in-use references is not valid JSON/);
  });
});

describe('malformed outputs: every reader names the bad field', () => {
  const R = '123456789012.dkr.ecr.us-east-1.amazonaws.com/app';
  test.each([
    ['a task that is no object', { tasks: [1] }, 'tasks[0]: must be an object'],
    ['a container that is no object', { tasks: [{ taskArn: 'arn:1', containers: ['web'] }] }, 'tasks[0].containers[0]: must be an object'],
    ['a digest that is no string', { tasks: [{ taskArn: 'arn:1', containers: [{ name: 'web', image: `${R}:1`, imageDigest: 7 }] }] }, 'tasks[0].containers[0].imageDigest: must be a string, got 7'],
    ['a task definition that is no object', { taskDefinition: 'web' }, 'taskDefinition: must be an object'],
    ['a container definition that is no object', { taskDefinition: { family: 'web', containerDefinitions: [null] } }, 'taskDefinition.containerDefinitions[0]: must be an object'],
    ['a bad image in a container definition', { taskDefinition: { family: 'web', containerDefinitions: [{ name: 'web', image: `${R}@sha256:1` }] } }, 'taskDefinition.containerDefinitions[0].image: the digest after "@"'],
    ['a status that is no object', { kind: 'Pod', metadata: { name: 'p' }, status: { containerStatuses: [3] } }, 'status.containerStatuses[0]: must be an object'],
    ['a spec container that is no object', { kind: 'Pod', metadata: { name: 'p' }, spec: { initContainers: [3] } }, 'spec.initContainers[0]: must be an object'],
    ['statuses that are no array', { kind: 'Pod', metadata: { name: 'p' }, status: { containerStatuses: {} } }, 'status.containerStatuses: must be an array, got {}'],
    ['a covered resource that is no object', { coveredResources: [[]] }, 'coveredResources[0]: must be an object'],
    ['an inUseCount that is no count', { coveredResources: [{ resourceType: 'AWS_ECR_CONTAINER_IMAGE', resourceMetadata: { ecrImage: { inUseCount: -1 } } }] },
      'coveredResources[0].resourceMetadata.ecrImage.inUseCount: must be a whole number >= 0, got -1'],
    ['an array element that is no object', [1], '[0]: not a recognized output'],
  ])('%s', (_, document, message) => {
    expect(() => InUseReferences.parse(JSON.stringify(document))).toThrow(message);
  });

  test('a reader given another reader\'s array element says which element', () => {
    expect(() => InUseReferences.fromLambdaGetFunction(JSON.stringify([read('lambda-get-function.json'), 5].map((d) => (typeof d === 'string' ? JSON.parse(d) : d)))))
      .toThrow('[1]: must be an object, the JSON of `aws lambda get-function` output');
  });

  test('an empty reference is refused', () => {
    expect(() => InUseReferences.fromEcsDescribeTaskDefinition(JSON.stringify({ taskDefinition: { family: 'web', containerDefinitions: [{ name: 'web', image: ' ' }] } })))
      .toThrow("taskDefinition.containerDefinitions[0].image: an image reference can't be empty");
  });

  test('an Inspector lastInUseAt in seconds since the epoch (AWS CLI v1) reads as a date', () => {
    const text = JSON.stringify({ coveredResources: [{ resourceType: 'AWS_ECR_CONTAINER_IMAGE', resourceId: `arn:aws:ecr:us-east-1:123456789012:repository/app/sha256:${'c'.repeat(64)}`, resourceMetadata: { ecrImage: { inUseCount: 1, lastInUseAt: 1780000000 } } }] });
    expect(InUseReferences.fromInspectorCoverage(text)[0].source).toBe('amazon inspector: in use by 1 ECS task or EKS pod, last 2026-05-28T20:26:40.000Z');
  });

  // Every expression that sees references runs in linear time: a long near-miss is read at once.
  test('a 100,000-character near-miss reference is refused quickly', () => {
    const start = Date.now();
    expect(() => InUseReferences.fromText(`123456789012.dkr.ecr.${'a'.repeat(100_000)}.amazonaws.co/app:${'t'.repeat(100_000)}`)).toThrow(/the tag after ":"/);
    const arn = `arn:aws:ecr:us-east-1:123456789012:repository/${'a/'.repeat(50_000)}sha256:zz`;
    expect(() => InUseReferences.fromInspectorCoverage(JSON.stringify({ coveredResources: [{ resourceType: 'AWS_ECR_CONTAINER_IMAGE', resourceId: arn, resourceMetadata: { ecrImage: { inUseCount: 1 } } }] })))
      .toThrow(/must be an ECR image ARN/);
    expect(Date.now() - start).toBeLessThan(1000);
  });
});
