import { aws_iam as iam } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { EcrPullTimeUpdateExclusion } from '../../src/registry/pull-time-update-exclusion';
import { newStack } from '../util';

const TYPE = 'AWS::ECR::PullTimeUpdateExclusion';

describe('EcrPullTimeUpdateExclusion', () => {
  test('excludes a role created in the stack by its ARN', () => {
    const stack = newStack();
    const scanner = new iam.Role(stack, 'Scanner', { assumedBy: new iam.ServicePrincipal('inspector2.amazonaws.com') });
    new EcrPullTimeUpdateExclusion(stack, 'Exclusion', { principal: scanner });
    Template.fromStack(stack).hasResourceProperties(TYPE, { PrincipalArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Scanner'), 'Arn'] } });
  });

  test.each([
    ['an imported role', (s: any) => iam.Role.fromRoleArn(s, 'R', 'arn:aws:iam::111111111111:role/ci/scanner'), 'arn:aws:iam::111111111111:role/ci/scanner'],
    ['an imported user', (s: any) => iam.User.fromUserArn(s, 'U', 'arn:aws:iam::111111111111:user/warmer'), 'arn:aws:iam::111111111111:user/warmer'],
    ['the ArnPrincipal of a role', () => new iam.ArnPrincipal('arn:aws-us-gov:iam::111111111111:role/scanner'), 'arn:aws-us-gov:iam::111111111111:role/scanner'],
  ])('excludes %s', (_name, make, arn) => {
    const stack = newStack();
    new EcrPullTimeUpdateExclusion(stack, 'Exclusion', { principal: make(stack) });
    Template.fromStack(stack).hasResourceProperties(TYPE, { PrincipalArn: arn });
  });

  // "Principal ARN ... Pattern: ^arn:aws(-[a-z]+)*:iam::[0-9]{12}:(role|user)/..." (API_RegisterPullTimeUpdateExclusion)
  test.each([
    ['a service principal', () => new iam.ServicePrincipal('inspector2.amazonaws.com'), /is not an IAM role or user/],
    ['an account', () => new iam.AccountPrincipal('111111111111'), /is not an IAM role or user/],
    ['an assumed-role session', () => new iam.ArnPrincipal('arn:aws:sts::111111111111:assumed-role/scanner/session'), /is not the ARN of an IAM role or user/],
  ])('refuses %s, naming the construct', (_name, make, message) => {
    expect(() => new EcrPullTimeUpdateExclusion(newStack(), 'Exclusion', { principal: make() }))
      .toThrow(new RegExp(`TestStack/Exclusion: invalid EcrPullTimeUpdateExclusion props:\\n  - principal: [^]*${message.source}`));
  });

  test('checks a long near-miss ARN in linear time', () => {
    const start = Date.now();
    const arn = `arn:aws:iam::111111111111:role/${'a/'.repeat(80)}`;
    expect(() => new EcrPullTimeUpdateExclusion(newStack(), 'E', { principal: new iam.ArnPrincipal(arn) })).toThrow(/is not the ARN/);
    expect(Date.now() - start).toBeLessThan(500);
  });

  test('the same principal twice in one stack is refused, naming the first', () => {
    const stack = newStack();
    const role = iam.Role.fromRoleArn(stack, 'R', 'arn:aws:iam::111111111111:role/scanner');
    new EcrPullTimeUpdateExclusion(stack, 'First', { principal: role });
    expect(() => new EcrPullTimeUpdateExclusion(stack, 'Second', { principal: role }))
      .toThrow(/TestStack\/Second: the principal arn:aws:iam::111111111111:role\/scanner is already excluded by 'TestStack\/First'/);
  });

  // "You can configure up to 100 exclusions per account." (pull-time-update-exclusions.html)
  test('the 101st exclusion in a stack is refused: ECR allows 100 per account', () => {
    const stack = newStack();
    for (let i = 0; i < 100; i++) {
      new EcrPullTimeUpdateExclusion(stack, `E${i}`, { principal: new iam.ArnPrincipal(`arn:aws:iam::111111111111:role/r${i}`) });
    }
    expect(() => new EcrPullTimeUpdateExclusion(stack, 'E100', { principal: new iam.ArnPrincipal('arn:aws:iam::111111111111:role/r100') }))
      .toThrow(/TestStack\/E100: this is pull-time update exclusion number 101 in the stack, and ECR allows at most 100 per account/);
  });
});
