// Checks one lifecycle rule struct on its own, in the words of the CDK props a user wrote.
// Rule-set checks (priorities, one ANY rule) live in policy.ts.
import { Duration, Token, aws_ecr as ecr } from 'aws-cdk-lib';
import { MAX_WILDCARDS_PER_PATTERN } from './document-validator';
import { EcrLifecycleRule } from '../lifecycle-rule';

// Each selects images a different way (ECR's countType); a rule has exactly one.
const COUNT_PROPS = ['maxImageCount', 'maxImageAge', 'maxAgeSinceLastPull', 'maxAgeSinceArchived'] as const;

/**
 * The rule with its tagStatus filled in the way aws-ecr does: TAGGED when it lists tags, ANY otherwise.
 */
export function withTagStatus(rule: EcrLifecycleRule): EcrLifecycleRule {
  if (rule.tagStatus !== undefined) return rule;
  const listsTags = rule.tagPrefixList !== undefined || rule.tagPatternList !== undefined;
  return { ...rule, tagStatus: listsTags ? ecr.TagStatus.TAGGED : ecr.TagStatus.ANY };
}

/** How problems name a rule: its position as declared, and its description when it has one. */
export function ruleLabel(rule: EcrLifecycleRule, index: number): string {
  return rule.description ? `lifecycle rule ${index + 1} ('${rule.description}')` : `lifecycle rule ${index + 1}`;
}

/** Every problem of this rule on its own; empty when it is valid. */
export function ruleProblems(raw: EcrLifecycleRule, index: number): string[] {
  const rule = withTagStatus(raw);
  const label = ruleLabel(rule, index);
  const problems: string[] = [];
  const add = (message: string) => problems.push(`${label}: ${message}`);

  if (rule.rulePriority !== undefined && !isWholeNumber(rule.rulePriority)) {
    add(`rulePriority must be a whole number >= 1, got ${rule.rulePriority}`);
  }

  const hasPrefixes = rule.tagPrefixList !== undefined;
  const hasPatterns = rule.tagPatternList !== undefined;
  if (rule.tagStatus === ecr.TagStatus.TAGGED) {
    if (hasPrefixes && hasPatterns) {
      add('tagPrefixList and tagPatternList cannot both be set; use one of them');
    } else if (!nonEmpty(rule.tagPrefixList) && !nonEmpty(rule.tagPatternList)) {
      add('TagStatus.TAGGED needs a non-empty tagPrefixList or tagPatternList, e.g. tagPrefixList: [\'release-\']');
    }
  } else if (hasPrefixes || hasPatterns) {
    add(`tagPrefixList and tagPatternList only apply to TagStatus.TAGGED rules, got TagStatus.${rule.tagStatus!.toUpperCase()}`);
  }
  for (const prefix of rule.tagPrefixList ?? []) {
    if (!Token.isUnresolved(prefix) && prefix.length === 0) add('tagPrefixList entries must be non-empty prefixes, got \'\'');
  }
  for (const pattern of rule.tagPatternList ?? []) {
    if (Token.isUnresolved(pattern)) continue;
    if (pattern.length === 0) add('tagPatternList entries must be non-empty patterns, got \'\'');
    const wildcards = pattern.split('*').length - 1;
    if (wildcards > MAX_WILDCARDS_PER_PATTERN) {
      add(`tagPatternList entry '${pattern}' has ${wildcards} wildcards (*); ECR allows at most ${MAX_WILDCARDS_PER_PATTERN}`);
    }
  }

  const counts = COUNT_PROPS.filter(prop => rule[prop] !== undefined);
  if (counts.length !== 1) {
    add(`set exactly one of maxImageCount (keep the newest N), maxImageAge (days since push), maxAgeSinceLastPull and maxAgeSinceArchived, got ${counts.length === 0 ? 'none' : counts.join(' and ')}`);
  } else if (rule.maxImageCount !== undefined && !isWholeNumber(rule.maxImageCount)) {
    add(`maxImageCount must be a whole number >= 1, got ${describeNumber(rule.maxImageCount)}`);
  } else if (counts[0] !== 'maxImageCount') {
    const age = rule[counts[0]] as Duration;
    const days = age.isUnresolved() ? NaN : age.toDays({ integral: false });
    if (!isWholeNumber(days)) {
      add(`${counts[0]} must be a whole number of days >= 1, got ${age.isUnresolved() ? 'a token' : `${days} days`}; use Duration.days(n)`);
    }
  }
  return problems;
}

function isWholeNumber(value: number): boolean {
  return !Token.isUnresolved(value) && Number.isInteger(value) && value >= 1;
}

function describeNumber(value: number): string {
  return Token.isUnresolved(value) ? 'a token (lifecycle rules are validated at synth and need literal numbers)' : String(value);
}

function nonEmpty(list: string[] | undefined): boolean {
  return list !== undefined && list.length > 0;
}
