// LifecyclePolicy: turns CDK lifecycle rule structs into ECR's LifecyclePolicyText, numbering and checking them.
// It is the one place that renders a policy: EcrRepository emits exactly `fromRules(...).toJson()`.
import { Duration, Token, aws_ecr as ecr } from 'aws-cdk-lib';
import { ImageDetail, ImageStorageClass, LifecyclePreviewOptions, LifecyclePreviewResult } from './image';
import { EcrLifecycleRule, LifecycleAction } from './lifecycle-rule';
import * as documentParser from './private/document-parser';
import * as documentValidator from './private/document-validator';
import { PolicyDocumentJson, PolicyRuleJson, PolicySelectionJson } from './private/policy-document';
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
export class LifecyclePolicy {
  /**
   * A policy from the same rule structs `EcrRepository` and `aws-ecr` take.
   *
   * Never throws: problems are collected and returned by `validate()`; `toJson()` refuses an invalid policy.
   *
   * @param rules the rules in declared order; the same structs `EcrRepository` and `aws-ecr` take.
   */
  public static fromRules(rules: EcrLifecycleRule[]): LifecyclePolicy {
    const problems = rules.flatMap((rule, index) => ruleCheck.ruleProblems(rule, index));
    const numbered = numberRules(rules.map(ruleCheck.withTagStatus));
    problems.push(...setProblems(numbered));
    const document = { rules: numbered.map(renderRule) };
    // The rendered document is checked against every documented ECR constraint too, once the rules pass
    // the checks above (which speak the user's CDK props; these speak the JSON ECR reads). An empty rule
    // list means "no policy": there is no text for ECR to check. Lengths are only known without tokens.
    if (problems.length === 0 && rules.length > 0) {
      problems.push(...documentValidator.documentProblems(document));
      const text = JSON.stringify(document);
      if (!Token.isUnresolved(text)) {
        problems.push(...documentValidator.lengthProblems(text));
      }
    }
    return new LifecyclePolicy(document, problems);
  }

  /**
   * A policy from LifecyclePolicyText, for example one copied from the ECR console or another stack.
   *
   * @param text the lifecycle policy JSON text.
   * @throws if the text is not a valid ECR lifecycle policy, listing every problem (malformed JSON, wrong
   * types, and every documented ECR constraint).
   * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/lifecycle_policy_parameters.html
   */
  public static fromJson(text: string): LifecyclePolicy {
    const problems = documentValidator.validateText(text);
    throwIfProblems(INVALID_POLICY, problems);
    return new LifecyclePolicy(documentParser.fromJson(text), []);
  }

  private constructor(private readonly document: PolicyDocumentJson, private readonly problems: string[]) {}

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
    return JSON.stringify(this.document);
  }

  /**
   * Which of `images` this policy expires, transitions to archive or keeps, and why, evaluated offline
   * exactly as the ECR User Guide describes lifecycle policy evaluation.
   *
   * All rules are evaluated, then applied in priority order; an image is expired or transitioned by at most
   * one rule, and an image matching the tag selection of a higher-priority rule is never actioned by a
   * lower-priority one (though lower `imageCountMoreThan` rules still count it). A reference artifact
   * (`subjectDigest`) is expired or archived with its subject; an image a kept image index references
   * (`manifestDigests`) is kept. ECR documents no order for images pushed at the same millisecond: the preview
   * orders them by digest (the smaller digest counts as the newer).
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

interface NumberedRule {
  readonly rule: EcrLifecycleRule;
  readonly rulePriority: number;
  readonly declaredIndex: number;
}

function numberRules(rules: EcrLifecycleRule[]): NumberedRule[] {
  const declared = rules.map((rule, declaredIndex) => ({ rule, declaredIndex }));
  const isAny = (r: EcrLifecycleRule) => r.tagStatus === ecr.TagStatus.ANY;
  const explicit = declared
    .filter(d => !isAny(d.rule) && d.rule.rulePriority !== undefined)
    .map(d => d.rule.rulePriority!);
  let next = Math.max(0, ...explicit) + 1;
  const take = (d: { rule: EcrLifecycleRule; declaredIndex: number }): NumberedRule =>
    ({ ...d, rulePriority: d.rule.rulePriority ?? next++ });
  const numbered = [
    ...declared.filter(d => !isAny(d.rule)).map(take),
    ...declared.filter(d => isAny(d.rule)).map(take),
  ];
  return numbered.sort((a, b) => a.rulePriority - b.rulePriority || a.declaredIndex - b.declaredIndex);
}

function setProblems(rules: NumberedRule[]): string[] {
  const problems: string[] = [];
  const label = (r: NumberedRule) => ruleCheck.ruleLabel(r.rule, r.declaredIndex);

  const byPriority = new Map<number, NumberedRule[]>();
  for (const r of rules) byPriority.set(r.rulePriority, [...(byPriority.get(r.rulePriority) ?? []), r]);
  for (const [priority, same] of byPriority) {
    if (same.length > 1) {
      problems.push(`rulePriority ${priority} is used by ${same.map(label).join(' and ')}; every rule needs its own priority (remove rulePriority to have them numbered in declared order)`);
    }
  }

  for (const storageClass of [ImageStorageClass.STANDARD, ImageStorageClass.ARCHIVE]) {
    const inClass = rules.filter(r => (r.rule.storageClass ?? ImageStorageClass.STANDARD) === storageClass);
    const where = storageClass === ImageStorageClass.STANDARD ? '' : ' selecting archived images';
    const anyRules = inClass.filter(r => r.rule.tagStatus === ecr.TagStatus.ANY);
    if (anyRules.length > 1) {
      problems.push(`only one TagStatus.ANY rule${where} is allowed, got ${anyRules.length}: ${anyRules.map(label).join(', ')}; merge them into one (e.g. a single keepLastNImages)`);
    }
    const highest = Math.max(...inClass.map(r => r.rulePriority));
    for (const r of anyRules) {
      if (r.rulePriority < highest) {
        problems.push(`${label(r)} selects every image (TagStatus.ANY), so it must have the highest rulePriority${where}, got ${r.rulePriority} while another rule has ${highest}; remove its rulePriority to have it numbered last`);
      }
    }
    const untagged = inClass.filter(r => r.rule.tagStatus === ecr.TagStatus.UNTAGGED);
    if (untagged.length > 1) {
      problems.push(`only one TagStatus.UNTAGGED rule${where} is allowed, got ${untagged.length}: ${untagged.map(label).join(', ')}; keep one deleteUntaggedAfterDays rule`);
    }
  }
  return problems;
}

function renderRule({ rule, rulePriority }: NumberedRule): PolicyRuleJson {
  const action = rule.action ?? LifecycleAction.EXPIRE;
  return {
    rulePriority,
    description: rule.description,
    selection: {
      tagStatus: rule.tagStatus!,
      tagPrefixList: rule.tagPrefixList,
      tagPatternList: rule.tagPatternList,
      storageClass: rule.storageClass,
      ...renderCount(rule),
    },
    action: { type: action, targetStorageClass: action === LifecycleAction.TRANSITION ? ImageStorageClass.ARCHIVE : undefined },
  };
}

function renderCount(rule: EcrLifecycleRule): Pick<PolicySelectionJson, 'countType' | 'countUnit' | 'countNumber'> {
  if (rule.maxImageCount !== undefined) return { countType: 'imageCountMoreThan', countNumber: rule.maxImageCount };
  const [countType, age] = rule.maxAgeSinceLastPull !== undefined ? ['sinceImagePulled', rule.maxAgeSinceLastPull]
    : rule.maxAgeSinceArchived !== undefined ? ['sinceImageTransitioned', rule.maxAgeSinceArchived]
      : ['sinceImagePushed', rule.maxImageAge!];
  return { countType, countUnit: 'days', countNumber: ageInDays(age) };
}

function ageInDays(age: Duration): number {
  return age.isUnresolved() ? NaN : age.toDays({ integral: false });
}
