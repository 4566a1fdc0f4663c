// The synth-time warning cdk-secure-ecr:deployedTagExpires: a workload of the app deploys an EcrRepository's image
// by a tag that one of the repository's own rules expires or archives by age.
import { Annotations as CdkAnnotations, App, Duration, Stack, aws_codebuild as codebuild, aws_ecr as ecr, aws_ecs as ecs, aws_lambda as lambda } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { EcrLifecycleRules, EcrRepository } from '../../src';
import { newStack } from '../util';

const ID = 'cdk-secure-ecr:deployedTagExpires';

/** The warnings with our id, as `{ path: message }`. */
function warnings(stack: Stack): Record<string, string> {
  const found = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('deploys the image tagged'));
  return Object.fromEntries(found.map((w) => [w.id, String(w.entry.data)]));
}

function ecsService(stack: Stack, repo: ecr.IRepository, tag?: string): ecs.ContainerDefinition {
  const task = new ecs.FargateTaskDefinition(stack, 'Task');
  return task.addContainer('web', { image: ecs.ContainerImage.fromEcrRepository(repo, tag), memoryLimitMiB: 512 });
}

describe('deployed tag warning', () => {
  // "Once rules are evaluated, they are then applied based on rule priority ... An image that matches the tagging
  // requirements of a rule can't be expired by a rule with a lower priority."
  // https://docs.aws.amazon.com/AmazonECR/latest/userguide/LifecyclePolicies.html#lp_evaluation_rules
  test('an ECS container deploying a tag a rule expires by age is warned, naming tag, rule and days', () => {
    const stack = newStack();
    const repo = new EcrRepository(stack, 'Repo', { lifecycleRules: [EcrLifecycleRules.deleteTaggedAfterDays('pr-', 3)] });
    ecsService(stack, repo, 'pr-42');
    expect(warnings(stack)).toEqual({
      '/TestStack/Task/web': 'deploys the image tagged \'pr-42\' of TestStack/Repo, whose lifecycle rule 1 (\'Expire images tagged \'pr-*\' 3 days after push\') '
        + 'expires images pushed more than 3 days ago: after that, this workload can no longer start, restart or scale out (the pull fails). '
        + 'Deploy by digest, keep the tag with an earlier count rule (keepLastNImages) or leave it out of the rule\'s selection, or acknowledge this warning. '
        + `[ack: ${ID}]`,
    });
  });

  test('a Lambda function deploying a tag a rule archives when not pulled is warned on its resource', () => {
    const stack = newStack();
    const repo = new EcrRepository(stack, 'Repo', { lifecycleRules: [EcrLifecycleRules.archiveAfterDaysSinceLastPull(30)] });
    new lambda.DockerImageFunction(stack, 'Fn', { code: lambda.DockerImageCode.fromEcr(repo, { tagOrDigest: 'v1.2.0' }) });
    expect(warnings(stack)['/TestStack/Fn/Resource']).toMatch(/^deploys the image tagged 'v1\.2\.0' of TestStack\/Repo, whose lifecycle rule 1 \('Archive images not pulled for 30 days'\) archives images not pulled for more than 30 days:/);
  });

  test('a Lambda function without a tag deploys latest', () => {
    const stack = newStack();
    const repo = new EcrRepository(stack, 'Repo', { lifecycleRules: [EcrLifecycleRules.archiveAfterDaysSinceLastPull(30)] });
    new lambda.DockerImageFunction(stack, 'Fn', { code: lambda.DockerImageCode.fromEcr(repo) });
    expect(warnings(stack)['/TestStack/Fn/Resource']).toMatch(/^deploys the image tagged 'latest'/);
  });

  test('a CodeBuild project building in the repository\'s image by tag is warned', () => {
    const stack = newStack();
    const repo = new EcrRepository(stack, 'Repo', { lifecycleRules: [EcrLifecycleRules.archiveAfterDaysSinceLastPull(60)] });
    new codebuild.Project(stack, 'Build', {
      buildSpec: codebuild.BuildSpec.fromObject({ version: '0.2', phases: { build: { commands: ['make'] } } }),
      environment: { buildImage: codebuild.LinuxBuildImage.fromEcrRepository(repo, 'builder-1') },
    });
    expect(Object.keys(warnings(stack))).toEqual(['/TestStack/Build/Resource']);
  });

  test('a hand-written L1 task definition using repositoryUriForTag is warned', () => {
    const stack = newStack();
    const repo = new EcrRepository(stack, 'Repo', { lifecycleRules: [EcrLifecycleRules.deleteTaggedAfterDays('pr-', 3)] });
    new ecs.CfnTaskDefinition(stack, 'Raw', { containerDefinitions: [{ name: 'web', image: repo.repositoryUriForTag('pr-9') }] });
    expect(warnings(stack)['/TestStack/Raw']).toMatch(/^deploys the image tagged 'pr-9'/);
  });

  test('a workload in another stack of the app is warned', () => {
    const app = new App();
    const env = { account: '111111111111', region: 'eu-west-1' };
    const shared = new Stack(app, 'Shared', { env });
    const repo = new EcrRepository(shared, 'Repo', { lifecycleRules: [EcrLifecycleRules.deleteTaggedAfterDays('pr-', 3)] });
    const service = new Stack(app, 'Service', { env });
    ecsService(service, repo, 'pr-7');
    app.synth();
    expect(Object.keys(warnings(service))).toEqual(['/Service/Task/web']);
  });

  test('rules added after the workload are seen: the warning comes from the final rules', () => {
    const stack = newStack();
    const repo = new EcrRepository(stack, 'Repo');
    ecsService(stack, repo, 'pr-42');
    repo.addLifecycleRule(EcrLifecycleRules.deleteTaggedAfterDays('pr-', 3));
    expect(Object.keys(warnings(stack))).toEqual(['/TestStack/Task/web']);
  });

  test('can be acknowledged on the task definition', () => {
    const stack = newStack();
    const repo = new EcrRepository(stack, 'Repo', { lifecycleRules: [EcrLifecycleRules.deleteTaggedAfterDays('pr-', 3)] });
    const container = ecsService(stack, repo, 'pr-42');
    CdkAnnotations.of(container.taskDefinition).acknowledgeWarning(ID, 'preview environments are short-lived');
    expect(warnings(stack)).toEqual({});
  });

  test('can be acknowledged on the function', () => {
    const stack = newStack();
    const repo = new EcrRepository(stack, 'Repo', { lifecycleRules: [EcrLifecycleRules.archiveAfterDaysSinceLastPull(30)] });
    const fn = new lambda.DockerImageFunction(stack, 'Fn', { code: lambda.DockerImageCode.fromEcr(repo, { tagOrDigest: 'v1' }) });
    CdkAnnotations.of(fn).acknowledgeWarning(ID, 'the function is redeployed weekly');
    expect(warnings(stack)).toEqual({});
  });

  describe('no warning', () => {
    test('when a count rule keeps the tag (keepLastNImages)', () => {
      const stack = newStack();
      const repo = new EcrRepository(stack, 'Repo', { lifecycleRules: [EcrLifecycleRules.keepLastNImages(10)] });
      ecsService(stack, repo, 'v1');
      expect(warnings(stack)).toEqual({});
    });

    test('when an earlier count rule selects the tag before the age rule', () => {
      const stack = newStack();
      const repo = new EcrRepository(stack, 'Repo', {
        lifecycleRules: [
          { tagStatus: ecr.TagStatus.TAGGED, tagPatternList: ['release-*'], maxImageCount: 5 },
          { tagStatus: ecr.TagStatus.ANY, maxImageAge: Duration.days(30) },
        ],
      });
      ecsService(stack, repo, 'release-3');
      expect(warnings(stack)).toEqual({});
    });

    test('when no rule selects the tag', () => {
      const stack = newStack();
      const repo = new EcrRepository(stack, 'Repo', { lifecycleRules: [EcrLifecycleRules.deleteTaggedAfterDays('pr-', 3), EcrLifecycleRules.deleteUntaggedAfterDays(7)] });
      ecsService(stack, repo, 'v1.0.0');
      expect(warnings(stack)).toEqual({});
    });

    test('when the workload deploys a digest', () => {
      const stack = newStack();
      const repo = new EcrRepository(stack, 'Repo', { lifecycleRules: [EcrLifecycleRules.archiveAfterDaysSinceLastPull(30)] });
      ecsService(stack, repo, `sha256:${'a'.repeat(64)}`);
      new lambda.DockerImageFunction(stack, 'Fn', { code: lambda.DockerImageCode.fromEcr(repo, { tagOrDigest: `sha256:${'b'.repeat(64)}` }) });
      expect(warnings(stack)).toEqual({});
    });

    test('when the repository has no lifecycle rule', () => {
      const stack = newStack();
      ecsService(stack, new EcrRepository(stack, 'Repo'), 'pr-1');
      expect(warnings(stack)).toEqual({});
    });

    test('when another repository\'s rule expires the tag', () => {
      const stack = newStack();
      new EcrRepository(stack, 'Expiring', { lifecycleRules: [EcrLifecycleRules.deleteTaggedAfterDays('pr-', 3)] });
      const other = new EcrRepository(stack, 'Other', { lifecycleRules: [EcrLifecycleRules.keepLastNImages(5)] });
      ecsService(stack, other, 'pr-1');
      expect(warnings(stack)).toEqual({});
    });
  });
});
