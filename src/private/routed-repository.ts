// The aws-ecr Repository that EcrRepository wraps, with `addLifecycleRule` sent to EcrRepository, which renders
// the lifecycle policy. An override on a subclass, not a function set on the instance: the jsii kernel calls a
// method through the object's prototype (`instance.constructor.prototype[method]`), so from Python, Java, Go and
// .NET `repo.repository.addLifecycleRule(rule)` would skip an instance function and the rule would be lost.
import { aws_ecr as ecr } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/** An aws-ecr Repository whose lifecycle rules go to `onLifecycleRule` instead of its own lifecycle policy. */
export class RoutedRepository extends ecr.Repository {
  public constructor(
    scope: Construct,
    id: string,
    props: ecr.RepositoryProps,
    private readonly onLifecycleRule: (rule: ecr.LifecycleRule) => void,
  ) {
    // Without props.lifecycleRules, aws-ecr's constructor adds no rule, so nothing arrives before the field is set.
    super(scope, id, props);
  }

  public addLifecycleRule(rule: ecr.LifecycleRule): void {
    this.onLifecycleRule(rule);
  }
}
