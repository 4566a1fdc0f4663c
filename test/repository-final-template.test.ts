// Issue 16: every guarantee of EcrRepository holds on what the template finally says, after property overrides,
// L1 setters, Aspects, mixins and statements changed after the checks at the call.
import { App, Aspects, CfnParameter, Fn, IAspect, RemovalPolicy, aws_ecr as ecr, aws_iam as iam } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { IConstruct } from 'constructs';
import { EcrRepository } from '../src';
import { newStack } from './util';

const PUSH = ['ecr:PutImage'];

function cfnOf(repo: EcrRepository): ecr.CfnRepository {
  return repo.node.defaultChild as ecr.CfnRepository;
}

function synth(repo: EcrRepository): () => void {
  return () => App.of(repo)!.synth();
}

describe('the escape hatch', () => {
  test('node.defaultChild of an EcrRepository is its CfnRepository, with the logical id unchanged', () => {
    const stack = newStack();
    const repo = new EcrRepository(stack, 'Repo');

    expect(repo.node.defaultChild).toBe(repo.repository.node.defaultChild);
    expect(repo.node.defaultChild).toBeInstanceOf(ecr.CfnRepository);
    expect(Object.keys(Template.fromStack(stack).findResources('AWS::ECR::Repository'))).toEqual(['RepoRepository3264A783']);
  });

  test('an override that keeps the guarantees is written as given', () => {
    const stack = newStack();
    const repo = new EcrRepository(stack, 'Repo');
    cfnOf(repo).addPropertyOverride('RepositoryName', 'overridden');

    Template.fromStack(stack).hasResourceProperties('AWS::ECR::Repository', { RepositoryName: 'overridden' });
  });
});

describe('the repository policy on the final template', () => {
  test('an override that lets anyone push fails synthesis, naming the construct and the override', () => {
    const stack = newStack();
    const repo = new EcrRepository(stack, 'Repo');
    cfnOf(repo).addPropertyOverride('RepositoryPolicyText', {
      Version: '2012-10-17', Statement: [{ Sid: 'Open', Effect: 'Allow', Principal: '*', Action: 'ecr:*' }],
    });

    expect(synth(repo)).toThrow(/\[TestStack\/Repo\] repository policy statement 'Open': Principal '\*' may only read, whatever its condition, but is allowed ecr:\*.*\[changed by an override of RepositoryPolicyText on TestStack\/Repo\/Repository\/Resource/);
  });

  test('deleting the organization condition that pullOrganizationIds wrote fails synthesis', () => {
    const stack = newStack();
    const repo = new EcrRepository(stack, 'Repo', { pullOrganizationIds: ['o-a1b2c3d4e5'] });
    cfnOf(repo).addPropertyDeletionOverride('RepositoryPolicyText.Statement.0.Condition');

    expect(synth(repo)).toThrow(/repository policy statement 'PullFromOrganizations': Principal '\*' has no condition that restricts who.*\[changed by an override of RepositoryPolicyText/);
  });

  test('a policy text set with the L1 setter fails synthesis, naming the setter', () => {
    const stack = newStack();
    const repo = new EcrRepository(stack, 'Repo');
    cfnOf(repo).repositoryPolicyText = { Statement: [{ Effect: 'Allow', Principal: '*', Action: 'ecr:PutImage' }] };

    expect(synth(repo)).toThrow(/repository policy statement #0: Principal '\*' may only read.*\[changed by setting RepositoryPolicyText on TestStack\/Repo\/Repository\/Resource directly/);
  });

  test('a policy text written as a JSON string is read as the document it is', () => {
    const stack = newStack();
    const repo = new EcrRepository(stack, 'Repo');
    cfnOf(repo).addPropertyOverride('RepositoryPolicyText', '{"Statement":[{"Effect":"Allow","Principal":"*","Action":"ecr:PutImage"}]}');

    expect(synth(repo)).toThrow(/repository policy statement #0: Principal '\*' may only read/);
  });

  test('a policy text that is not JSON fails synthesis', () => {
    const stack = newStack();
    const repo = new EcrRepository(stack, 'Repo');
    cfnOf(repo).addPropertyOverride('RepositoryPolicyText', '{"Statement": [');

    expect(synth(repo)).toThrow(/repository policy: the policy text is not JSON/);
  });

  test('an Aspect that opens the policy fails synthesis', () => {
    const stack = newStack();
    const repo = new EcrRepository(stack, 'Repo');
    class Open implements IAspect {
      public visit(node: IConstruct): void {
        if (node instanceof ecr.CfnRepository) {
          node.repositoryPolicyText = { Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: PUSH }] };
        }
      }
    }
    Aspects.of(stack).add(new Open());

    expect(synth(repo)).toThrow(/repository policy statement #0: Principal '\*' may only read.*\[changed by setting RepositoryPolicyText/);
  });

  test('a statement widened with addAnyPrincipal() after addToResourcePolicy fails synthesis', () => {
    const stack = newStack();
    const repo = new EcrRepository(stack, 'Repo');
    const statement = new iam.PolicyStatement({ sid: 'Push', principals: [new iam.AccountPrincipal('222222222222')], actions: PUSH });
    repo.addToResourcePolicy(statement);
    statement.addAnyPrincipal();

    expect(synth(repo)).toThrow(/repository policy statement 'Push': Principal '\*' may only read.*\[changed after the checks at the call/);
  });
});

describe('tokens in the repository policy', () => {
  test.each<[string, iam.IPrincipal]>([
    ['Fn::Sub of *', new iam.ArnPrincipal(Fn.sub('*'))],
    ['Fn::Join of *', new iam.ArnPrincipal(Fn.join('', ['*']))],
    ['Fn::Select of *', new iam.ArnPrincipal(Fn.select(0, ['*', 'arn:aws:iam::222222222222:root']))],
  ])('a push principal of %s is a push by anyone, refused', (_name, principal) => {
    const stack = newStack();
    expect(() => new EcrRepository(stack, 'Repo', { pushPrincipals: [principal] }))
      .toThrow(/pushPrincipals\[0\]: Principal '\*' may only read, whatever its condition, but is allowed ecr:CompleteLayerUpload/);
  });

  test('a push principal of Fn::If with a * branch is refused', () => {
    const stack = newStack();
    const repo = new EcrRepository(stack, 'Repo');
    cfnOf(repo).addPropertyOverride('RepositoryPolicyText', {
      Statement: [{ Effect: 'Allow', Principal: { AWS: { 'Fn::If': ['Open', '*', 'arn:aws:iam::222222222222:root'] } }, Action: PUSH }],
    });
    expect(synth(repo)).toThrow(/repository policy statement #0: Principal '\*' may only read/);
  });

  test('a push principal from a parameter is written, with a warning that it could not be checked', () => {
    const stack = newStack();
    const pusher = new CfnParameter(stack, 'Pusher');
    new EcrRepository(stack, 'Repo', { pushPrincipals: [new iam.ArnPrincipal(pusher.valueAsString)] });

    Annotations.fromStack(stack).hasWarning('/TestStack/Repo', Match.stringLikeRegexp(
      "repository policy statement 'PushPrincipal0' writes, and the library cannot read principal '\\$\\{Token\\}'.*never '\\*'.*\\[ack: cdk-secure-ecr:uncheckedPrincipal\\]"));
  });

  test('a pull principal from a parameter needs no warning: reads are not checked for who', () => {
    const stack = newStack();
    const puller = new CfnParameter(stack, 'Puller');
    new EcrRepository(stack, 'Repo', { pullPrincipals: [new iam.ArnPrincipal(puller.valueAsString)] });

    Annotations.fromStack(stack).hasNoWarning('/TestStack/Repo', Match.stringLikeRegexp('uncheckedPrincipal'));
  });

  test('a service that pushes for an account given as a parameter gets a warning naming the condition', () => {
    const stack = newStack();
    const account = new CfnParameter(stack, 'Account');
    const service = new iam.ServicePrincipal('codebuild.amazonaws.com').withConditions({ StringEquals: { 'aws:SourceAccount': account.valueAsString } });
    new EcrRepository(stack, 'Repo', { pushPrincipals: [service] });

    Annotations.fromStack(stack).hasWarning('/TestStack/Repo', Match.stringLikeRegexp("cannot read condition aws:sourceaccount '\\$\\{Token\\}'"));
  });

  test('principals of this stack (pseudo parameters, resource attributes) are read as named', () => {
    const stack = newStack();
    const role = new iam.Role(stack, 'Ci', { assumedBy: new iam.AccountRootPrincipal() });
    new EcrRepository(stack, 'Repo', { pushPrincipals: [role, new iam.AccountRootPrincipal()] });

    Annotations.fromStack(stack).hasNoWarning('/TestStack/Repo', Match.stringLikeRegexp('uncheckedPrincipal'));
  });
});

describe('the settings a repository promises, on the final template', () => {
  test('forProduction: an override to MUTABLE tags fails synthesis', () => {
    const stack = newStack();
    const repo = EcrRepository.forProduction(stack, 'Repo');
    cfnOf(repo).addPropertyOverride('ImageTagMutability', 'MUTABLE');

    expect(synth(repo)).toThrow(/\[TestStack\/Repo\] ImageTagMutability is "MUTABLE" in the final template, but this repository was made with IMMUTABLE tags \[changed by an override of ImageTagMutability/);
  });

  test('forCompliance: MUTABLE tags set with the L1 setter fail synthesis', () => {
    const stack = newStack();
    const repo = EcrRepository.forCompliance(stack, 'Repo');
    cfnOf(repo).imageTagMutability = 'MUTABLE';

    expect(synth(repo)).toThrow(/ImageTagMutability is "MUTABLE" in the final template.*\[changed by setting ImageTagMutability on TestStack\/Repo\/Repository\/Resource directly/);
  });

  test('forCompliance: tag mutability and encryption deleted by overrides (the CloudFormation defaults MUTABLE and AES-256) fail synthesis', () => {
    const stack = newStack();
    const repo = EcrRepository.forCompliance(stack, 'Repo');
    cfnOf(repo).addPropertyDeletionOverride('ImageTagMutability');
    cfnOf(repo).addPropertyDeletionOverride('EncryptionConfiguration');

    expect(synth(repo)).toThrow(/ImageTagMutability is "MUTABLE" in the final template[\s\S]*EncryptionConfiguration is "AES256 \(absent\)" in the final template/);
  });

  test('scan on push turned off by an override fails synthesis', () => {
    const stack = newStack();
    const repo = EcrRepository.forCompliance(stack, 'Repo');
    cfnOf(repo).addPropertyDeletionOverride('ImageScanningConfiguration');

    expect(synth(repo)).toThrow(/ImageScanningConfiguration\.ScanOnPush is false in the final template, but this repository was made to scan on push/);
  });

  test('forCompliance: AES-256 set by an override fails synthesis', () => {
    const stack = newStack();
    const repo = EcrRepository.forCompliance(stack, 'Repo');
    cfnOf(repo).addPropertyOverride('EncryptionConfiguration', { EncryptionType: 'AES256' });

    expect(synth(repo)).toThrow(/EncryptionConfiguration is \{"EncryptionType":"AES256",.*\} in the final template, but this repository was made with KMS/);
  });

  test('forCompliance: the customer key removed by an override (an AWS-managed key) fails synthesis', () => {
    const stack = newStack();
    const repo = EcrRepository.forCompliance(stack, 'Repo');
    cfnOf(repo).addPropertyDeletionOverride('EncryptionConfiguration.KmsKey');

    expect(synth(repo)).toThrow(/EncryptionConfiguration is \{"EncryptionType":"KMS"\} in the final template, but this repository was made with KMS and the key/);
  });

  // What aws-cdk-lib's mixin RepositoryAutoDeleteImages does: `construct.emptyOnDelete = true` on the CfnRepository.
  test('EmptyOnDelete set on the L1 (as the RepositoryAutoDeleteImages mixin does) without the opt-in fails synthesis', () => {
    const stack = newStack();
    const repo = EcrRepository.forProduction(stack, 'Repo');
    cfnOf(repo).emptyOnDelete = true;

    expect(synth(repo)).toThrow(/EmptyOnDelete is true in the final template: deleting the repository deletes every image in it, and this repository did not opt in/);
    expect(synth(repo)).toThrow(/EmptyOnDelete is true in the final template, with DeletionPolicy Retain/);
  });

  // The floor aws-cdk-lib has no mixins; the newest's (2.278) apply to the floor's constructs alike.
  test('aws-cdk-lib\'s RepositoryAutoDeleteImages mixin on a forProduction repository fails synthesis', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const newest = require('aws-cdk-lib-newest');
    const stack = newStack();
    const repo = EcrRepository.forProduction(stack, 'Repo');
    newest.Mixins.of(repo).apply(new newest.aws_ecr.mixins.RepositoryAutoDeleteImages());

    expect(synth(repo)).toThrow(/EmptyOnDelete is true in the final template: deleting the repository deletes every image in it, and this repository did not opt in \[changed by setting EmptyOnDelete on TestStack\/Repo\/Repository\/Resource directly \(an L1 property setter, an Aspect or a mixin\)\]/);
  });

  test('EmptyOnDelete with the opt-in fails synthesis once the repository is retained after all', () => {
    const stack = newStack();
    const repo = new EcrRepository(stack, 'Repo', { emptyOnDelete: true, removalPolicy: RemovalPolicy.DESTROY });
    cfnOf(repo).applyRemovalPolicy(RemovalPolicy.RETAIN);

    expect(synth(repo)).toThrow(/EmptyOnDelete is true in the final template, with DeletionPolicy Retain/);
  });

  test('forDevelopment keeps its EmptyOnDelete', () => {
    const stack = newStack();
    EcrRepository.forDevelopment(stack, 'Repo');

    Template.fromStack(stack).hasResource('AWS::ECR::Repository', { Properties: { EmptyOnDelete: true }, DeletionPolicy: 'Delete' });
  });

  test('a stronger setting than promised is accepted: IMMUTABLE and KMS over the MUTABLE, AES-256 defaults', () => {
    const stack = newStack();
    const repo = new EcrRepository(stack, 'Repo');
    cfnOf(repo).addPropertyOverride('ImageTagMutability', 'IMMUTABLE');
    cfnOf(repo).addPropertyOverride('EncryptionConfiguration', { EncryptionType: 'KMS' });

    Template.fromStack(stack).hasResourceProperties('AWS::ECR::Repository', { ImageTagMutability: 'IMMUTABLE' });
  });
});
