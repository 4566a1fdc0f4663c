// Lifecycle rules that delete the signatures of images they keep, on a repository ECR managed signing signs.
// A signature (like an SBOM or attestation) is an untagged image with a subject: ECR counts it like an image, and
// no lifecycle selection can tell it from other untagged images (tagStatus, tag lists and storageClass are all a
// rule selects by; aws/containers-roadmap#2613 asks for more). ECR removes a signature with its subject ("within
// 24 hours of the deletion or archival of the subject image"), never a subject with its signature. So the first
// rule that selects untagged images decides: it removes signatures on their own age or count.
// - `untagged`: always, while tagged rules keep the images they sign.
// - `any` by pull time: a signature's pulls are not its subject's.
// - `any` by count or push age: when an earlier tagged rule keeps images the `any` rule would otherwise count or age
//   out (a count rule, or an age rule of more days), their signatures are still counted and aged by the `any` rule.
// The rule shape that keeps signatures: no rule for untagged images, tagged rules for releases
// (`tagPatternList: ['*']` with `maxImageCount`), or a single `any` count rule (which counts each signature).
// @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/LifecyclePolicies.html
// @see https://github.com/aws/containers-roadmap/issues/2613

import { Annotations, aws_ecr as ecr, Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { PolicyRuleJson } from './policy-document';
import { isObject } from '../../private/text';
import * as signingCoverage from '../../registry/private/signing-coverage';

/** The acknowledgeable id of the warning. */
export const WARNING_ID = 'cdk-secure-ecr:lifecycleDeletesSignatures';

/**
 * The first rule that deletes or archives signatures apart from the images they sign, or `undefined`.
 *
 * @param rules the rules of a valid policy document
 */
export function signatureRemovingRule(rules: readonly PolicyRuleJson[]): PolicyRuleJson | undefined {
  const standard = rules.filter(rule => (rule.selection.storageClass ?? 'standard') === 'standard')
    .sort((a, b) => a.rulePriority - b.rulePriority);
  const first = standard.findIndex(rule => rule.selection.tagStatus !== 'tagged');
  if (first === -1) return undefined;
  const rule = standard[first];
  const { tagStatus, countType, countNumber } = rule.selection;
  if (tagStatus === 'untagged' || countType === 'sinceImagePulled') return rule;
  const shields = standard.slice(0, first).some(earlier => countType === 'imageCountMoreThan'
    || earlier.selection.countType === 'imageCountMoreThan' || earlier.selection.countNumber > countNumber);
  return shields ? rule : undefined;
}

/**
 * At synth, warns when a managed signing configuration of its app signs `repository` and the lifecycle policy its
 * template finally says removes signatures apart from the images they sign.
 *
 * The warning is on the CfnRepository, whose LifecyclePolicy it is about, so that `acknowledgeWarning` on the
 * repository construct (or any scope above) silences it even on aws-cdk-lib 2.230, which looks a warning's
 * acknowledgement up on the scopes above it only, not on its own scope.
 */
export function warnWhenSigned(repository: IConstruct, cfnRepository: ecr.CfnRepository): void {
  repository.node.addValidation({
    validate: () => {
      const signing = signingCoverage.signingOf(repository, Stack.of(repository).resolve(cfnRepository.repositoryName));
      const rule = signing === undefined ? undefined : signatureRemovingRule(renderedRules(cfnRepository));
      if (signing !== undefined && rule !== undefined) {
        Annotations.of(cfnRepository).addWarningV2(WARNING_ID, message(rule, (signing.node.scope as IConstruct).node.path));
      }
      return [];
    },
  });
}

function renderedRules(cfnRepository: ecr.CfnRepository): PolicyRuleJson[] {
  const policy: unknown = Stack.of(cfnRepository).resolve(cfnRepository.lifecyclePolicy);
  const text = isObject(policy) ? policy.lifecyclePolicyText : undefined;
  if (typeof text !== 'string' || Token.isUnresolved(text)) return [];
  try {
    const document: unknown = JSON.parse(text);
    const rules = isObject(document) ? document.rules : undefined;
    return Array.isArray(rules) ? rules.filter((r): r is PolicyRuleJson => isObject(r) && isObject(r.selection)) : [];
  } catch {
    return [];
  }
}

function message(rule: PolicyRuleJson, signingPath: string): string {
  const label = rule.description ? `lifecycle rule ${rule.rulePriority} ('${rule.description}')` : `lifecycle rule ${rule.rulePriority}`;
  const verb = rule.action.type === 'transition' ? 'archives' : 'deletes';
  return `${label} ${verb} the signatures that EcrManagedSigning '${signingPath}' adds to this repository apart from the images they sign: `
    + 'a signature is an untagged image to ECR, and no lifecycle rule can tell one from other untagged images (aws/containers-roadmap#2613), '
    + 'so verifying a kept image fails once its signature is gone. ECR deletes a signature within 24 hours of its subject: leave untagged '
    + "images to ECR (no untagged rule) and keep releases with a tagged rule, e.g. lifecycleRules: [{ tagStatus: TagStatus.TAGGED, tagPatternList: ['*'], "
    + 'maxImageCount: 30 }], or acknowledge this warning.';
}
