// Renders aws-ecr's ImageTagMutabilityExclusionFilter objects as CloudFormation properties, for the repository
// creation template (aws-ecr's Repository renders them for EcrRepository).
//
// The filter class keeps its type and pattern private and renders them only with the `@internal` `_render()`.
// The one public way to see them is the property aws-ecr's Repository writes on its CfnRepository: so a scratch
// Repository is created with the filters, its public L1 property read, and the scratch construct removed from the
// tree again (`node.tryRemoveChild`) before anything can synthesize it.
import { aws_ecr as ecr, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';

const SCRATCH_ID = 'ExclusionFilterRendering';

/** The filters as `CfnRepository.ImageTagMutabilityExclusionFilterProperty` values, through aws-ecr's public API. */
export function renderExclusionFilters(
  scope: Construct, filters: ecr.ImageTagMutabilityExclusionFilter[],
): ecr.CfnRepository.ImageTagMutabilityExclusionFilterProperty[] {
  const scratch = new ecr.Repository(scope, SCRATCH_ID, {
    imageTagMutability: ecr.TagMutability.IMMUTABLE_WITH_EXCLUSION,
    imageTagMutabilityExclusionFilters: filters,
  });
  const rendered = (scratch.node.defaultChild as ecr.CfnRepository).imageTagMutabilityExclusionFilters;
  scope.node.tryRemoveChild(SCRATCH_ID);
  return Stack.of(scope).resolve(rendered) ?? [];
}
