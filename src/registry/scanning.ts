// EcrRegistryScanning: the registry-wide image scanning configuration (BASIC or ENHANCED with Amazon Inspector),
// rendered as AWS::ECR::RegistryScanningConfiguration. One per account and region; one per stack here.
import { aws_ecr as ecr, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { SCANNING_FILTER } from '../private/aws-ids';
import { throwIfProblems } from '../private/errors';
import { checkProps, listOf, oneOf, required, Schema, string, struct } from '../private/prop-types';
import { claimOncePerStack } from '../private/singleton';

/**
 * The kind of image scanning for the whole private registry.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-scanning.html
 */
export enum RegistryScanType {
  /** Basic scanning with the AWS native scanner (CVE database), on push or manual. */
  BASIC = 'BASIC',
  /** Enhanced scanning with Amazon Inspector: operating system and language packages, on push or continuous. */
  ENHANCED = 'ENHANCED',
}

/**
 * How often the repositories a scanning rule matches are scanned.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_RegistryScanningRule.html
 */
export enum RegistryScanFrequency {
  /** Scan each image when it is pushed (BASIC and ENHANCED). */
  SCAN_ON_PUSH = 'SCAN_ON_PUSH',
  /** Scan on push and again whenever Amazon Inspector learns of a new vulnerability (ENHANCED only). */
  CONTINUOUS_SCAN = 'CONTINUOUS_SCAN',
}

/**
 * One registry scanning rule: a frequency and the repositories it applies to.
 */
export interface RegistryScanningRule {
  /** How often the matched repositories are scanned. */
  readonly frequency: RegistryScanFrequency;

  /**
   * Repository name filters; `*` is a wildcard (`prod-*`, `team/*`, `*`). At most 100.
   *
   * @default ['*'] every repository
   * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-scanning-filters.html
   */
  readonly repositoryFilters?: string[];
}

/**
 * Properties of an `EcrRegistryScanning`.
 */
export interface EcrRegistryScanningProps {
  /**
   * The kind of scanning for the registry.
   *
   * @default RegistryScanType.ENHANCED
   */
  readonly scanType?: RegistryScanType;

  /**
   * The scanning rules, at most one per frequency (so at most two).
   *
   * Repositories that no rule matches are scanned manually only.
   *
   * @default - ENHANCED: continuous scanning of every repository; BASIC: scan on push of every repository
   */
  readonly rules?: RegistryScanningRule[];
}

const PROPS_TYPES: Schema = {
  scanType: oneOf('RegistryScanType', Object.values(RegistryScanType)),
  rules: listOf(struct('a RegistryScanningRule', {
    frequency: required(oneOf('RegistryScanFrequency', Object.values(RegistryScanFrequency)), 'RegistryScanFrequency.SCAN_ON_PUSH or CONTINUOUS_SCAN'),
    repositoryFilters: listOf(string),
  })),
};

/** The longest filter ECR accepts. */
const MAX_FILTER_LENGTH = 255;
/** The most filters one rule may carry. */
const MAX_FILTERS = 100;

/**
 * The image scanning configuration of the whole private registry (account and region).
 *
 * ENHANCED scanning hands scanning to Amazon Inspector (which must be enabled for ECR in the account), with
 * continuous re-scans as new CVEs are published; BASIC uses ECR's own scanner on push.
 *
 * The registry scanning configuration is an account/region singleton: deploy exactly one, in one stack per
 * account and region. A second `EcrRegistryScanning` in the same stack is an error; two stacks that both deploy
 * one to the same account and region overwrite each other, which this construct cannot see.
 *
 * Registry rules override the per-repository `imageScanOnPush` setting for the repositories they match.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-scanning.html
 */
export class EcrRegistryScanning extends Construct {
  /** The underlying CloudFormation resource. */
  public readonly resource: ecr.CfnRegistryScanningConfiguration;

  /** The kind of scanning this configuration sets. */
  public readonly scanType: RegistryScanType;

  /**
   * @param scope the parent construct.
   * @param id the construct id.
   * @param props the scan type and rules; by default ENHANCED continuous scanning of every repository.
   */
  public constructor(scope: Construct, id: string, props: EcrRegistryScanningProps = {}) {
    super(scope, id);
    props = checkProps(this, 'EcrRegistryScanning', props, PROPS_TYPES);
    this.scanType = props.scanType ?? RegistryScanType.ENHANCED;
    const rules = props.rules ?? [{
      frequency: this.scanType === RegistryScanType.ENHANCED ? RegistryScanFrequency.CONTINUOUS_SCAN : RegistryScanFrequency.SCAN_ON_PUSH,
    }];
    throwIfProblems(`${this.node.path}: invalid EcrRegistryScanning props`, checkRules(this.scanType, rules));
    claimOncePerStack(this, 'EcrRegistryScanning', first =>
      `only one EcrRegistryScanning is allowed per stack, and '${first}' already is one. `
      + 'The registry scanning configuration is one per account and region: put all its rules in one EcrRegistryScanning.');

    this.resource = new ecr.CfnRegistryScanningConfiguration(this, 'Resource', {
      scanType: this.scanType,
      rules: rules.map(rule => ({
        scanFrequency: rule.frequency,
        repositoryFilters: (rule.repositoryFilters ?? ['*']).map(filter => ({ filter, filterType: 'WILDCARD' })),
      })),
    });
  }
}

function checkRules(scanType: RegistryScanType, rules: RegistryScanningRule[]): string[] {
  const problems: string[] = [];
  if (rules.length === 0) {
    problems.push('rules: give at least one rule, or leave rules out for the default (every repository); '
      + 'to stop registry scanning, remove the EcrRegistryScanning instead');
  }
  if (rules.length > 2) {
    problems.push(`rules: at most 2 rules (one per frequency), got ${rules.length}`);
  }
  const seen = new Set<RegistryScanFrequency>();
  rules.forEach((rule, i) => {
    if (seen.has(rule.frequency)) {
      problems.push(`rules[${i}].frequency: ${rule.frequency} is used by an earlier rule; merge their repositoryFilters into one rule`);
    }
    seen.add(rule.frequency);
    if (scanType === RegistryScanType.BASIC && rule.frequency === RegistryScanFrequency.CONTINUOUS_SCAN) {
      problems.push(`rules[${i}].frequency: CONTINUOUS_SCAN needs scanType ENHANCED; BASIC scanning supports SCAN_ON_PUSH only`);
    }
    const filters = rule.repositoryFilters ?? ['*'];
    if (filters.length === 0) {
      problems.push(`rules[${i}].repositoryFilters: give at least one filter ('*' for every repository), got []`);
    }
    if (filters.length > MAX_FILTERS) {
      problems.push(`rules[${i}].repositoryFilters: at most ${MAX_FILTERS} filters per rule, got ${filters.length}`);
    }
    filters.forEach((filter, j) => {
      if (Token.isUnresolved(filter)) {
        return;
      }
      if (filter.length > MAX_FILTER_LENGTH || !SCANNING_FILTER.test(filter)) {
        problems.push(`rules[${i}].repositoryFilters[${j}]: '${filter}' is not a repository filter; use 1 to ${MAX_FILTER_LENGTH} `
          + "lower-case letters, digits, '.', '_', '-', '/' and '*' wildcards, starting and ending with a letter, digit or '*' (e.g. 'prod-*')");
      }
    });
  });
  return problems;
}
