// LifecyclePolicy: turns CDK lifecycle rule structs into ECR's LifecyclePolicyText, numbering and checking them.
// It is the one place that renders a policy: EcrRepository emits exactly `fromRules(...).toJson()`.
import { Token } from 'aws-cdk-lib';
import { ImageDetail, LifecyclePreviewOptions, LifecyclePreviewResult } from './image';
import { EcrLifecycleRule } from './lifecycle-rule';
import * as documentParser from './private/document-parser';
import * as documentValidator from './private/document-validator';
import { PolicyDocumentJson } from './private/policy-document';
import * as ruleCheck from './private/rule-check';
import * as simulator from './private/simulator';
import { throwIfProblems } from '../private/errors';

const INVALID_POLICY = 'Invalid lifecycle policy';

/**
 * An ECR lifecycle policy: an ordered, validated set of lifecycle rules and the exact JSON text ECR receives.
 *
 * Priorities: a rule's explicit `rulePriority` is kept; the others are numbered in the order you declare them,
 * after the highest explicit one (1, 2, 3... when none is explicit); the `TagStatus.ANY` rule comes last.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/lifecycle_policy_parameters.html
 */
export class EcrLifecyclePolicy {
  /**
   * A policy from the same rule structs `EcrRepository` and `aws-ecr` take.
   *
   * Never throws: problems are collected and returned by `validate()`; `toJson()` refuses an invalid policy.
   * The rules are checked against every constraint `fromJson` checks, and problems name them as declared
   * (`lifecycle rule 2 ('description')`). A policy holds 1 to 50 rules: an empty list is no valid policy.
   *
   * @param rules the rules in declared order; the same structs `EcrRepository` and `aws-ecr` take.
   * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/service-quotas.html
   */
  public static fromRules(rules: EcrLifecycleRule[]): EcrLifecyclePolicy {
    // What only the structs can get wrong first; a rule without exactly one count prop has no JSON form.
    const shapes = rules.map((rule, index) => ruleCheck.shapeProblems(rule, index));
    const numbered = ruleCheck.numberRules(rules).filter(r => shapes[r.declaredIndex].length === 0);
    const document = { rules: numbered.map(ruleCheck.renderRule) };
    // Then every ECR constraint, once, on the JSON ECR will read, named the way the rules were written.
    const problems = [
      ...shapes.flat(),
      ...documentValidator.ruleCountProblems(rules.length),
      ...documentValidator.documentProblems(document, ruleCheck.cdkVocabulary(numbered)),
    ];
    // The text's length is known once every rule renders, and only without tokens.
    const text = JSON.stringify(document);
    if (rules.length > 0 && numbered.length === rules.length && !Token.isUnresolved(text)) {
      problems.push(...documentValidator.lengthProblems(text));
    }
    return new EcrLifecyclePolicy(document, problems, text);
  }

  /**
   * A policy from LifecyclePolicyText, for example one copied from the ECR console or another stack.
   *
   * @param text the lifecycle policy JSON text.
   * @throws if the text is not a valid ECR lifecycle policy, listing every problem (malformed JSON, wrong
   * types, and every documented ECR constraint).
   * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/lifecycle_policy_parameters.html
   */
  public static fromJson(text: string): EcrLifecyclePolicy {
    const problems = documentValidator.validateText(text);
    throwIfProblems(INVALID_POLICY, problems);
    const document = documentParser.fromJson(text);
    return new EcrLifecyclePolicy(document, [], JSON.stringify(document));
  }

  // `text` is JSON.stringify(document), rendered once: the template, the checks and toJson() read the same string.
  private constructor(
    private readonly document: PolicyDocumentJson, private readonly problems: string[], private readonly text: string) {}

  /**
   * Every problem that would make ECR reject this policy, or an empty list when it is valid.
   */
  public validate(): string[] {
    return [...this.problems];
  }

  /**
   * The LifecyclePolicyText, exactly as the repository's template carries it.
   *
   * @throws if the policy is invalid, listing every problem.
   */
  public toJson(): string {
    throwIfProblems(INVALID_POLICY, this.problems);
    return this.text;
  }

  /**
   * Which of `images` this policy expires, transitions to archive or keeps, and why, evaluated offline
   * exactly as the ECR User Guide describes lifecycle policy evaluation.
   *
   * All rules are evaluated, then applied in priority order; an image is expired or transitioned by at most
   * one rule, and an image matching the tag selection of a higher-priority rule is never actioned by a
   * lower-priority one (though lower `imageCountMoreThan` rules still count it). A reference artifact
   * (`subjectDigest`) is expired or archived with its subject; an image a kept image index references
   * (`manifestDigests`) is kept. An image expired or archived apart from the image it belongs to (the signature of
   * a kept image, which an untagged rule selects; a platform image of an index in archive) names that image in
   * `separatedFrom`, with a caveat and a warning. ECR documents no order for images pushed at the same
   * millisecond: the preview orders them by digest (the smaller digest counts as the newer).
   *
   * @param images the repository's images, e.g. from `ImageInventory.fromDescribeImagesOutput`.
   * @param options when to evaluate the policy.
   * @throws if the policy is invalid, listing every problem.
   * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/LifecyclePolicies.html#lp_evaluation_rules
   */
  public preview(images: ImageDetail[], options: LifecyclePreviewOptions = {}): LifecyclePreviewResult {
    throwIfProblems(INVALID_POLICY, this.problems);
    return simulator.preview(this.document, images, options);
  }
}
