// EcrManagedSigning: ECR signs every image pushed to the matching repositories with an AWS Signer profile
// (Notation), as AWS::ECR::SigningConfiguration. One per account and region.
import { aws_ecr as ecr, aws_iam as iam, aws_signer as signer, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { SIGNING_FILTER, SIGNING_PROFILE_NAME } from '../private/aws-ids';
import { throwIfProblems } from '../private/errors';
import { checkProps, implementing, listOf, required, Schema, string } from '../private/prop-types';
import { claimOncePerStack } from '../private/singleton';
import * as signingCoverage from './private/signing-coverage';

/**
 * Properties of an `EcrManagedSigning`.
 */
export interface EcrManagedSigningProps {
  /**
   * The repositories whose pushed images are signed: names with `*` wildcards (`prod/*`, `*-release`, `*` for
   * every repository). 1 to 100 filters.
   *
   * @see https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_SigningRepositoryFilter.html
   */
  readonly repositoryFilters: string[];

  /**
   * The AWS Signer profile to sign with. It must use the `Notation-OCI-SHA384-ECDSA` platform, and its name may
   * only hold letters, digits and `_`.
   *
   * @default - a new profile on the Notation-OCI-SHA384-ECDSA platform, with a name CloudFormation generates
   * @see https://docs.aws.amazon.com/signer/latest/developerguide/gs-platform.html
   */
  readonly signingProfile?: signer.ISigningProfile;
}

const PROPS_TYPES: Schema = {
  repositoryFilters: required(listOf(string), "the repositories to sign, e.g. ['prod/*']"),
  signingProfile: implementing('signer.ISigningProfile', { signingProfileArn: 'string', signingProfileName: 'string' },
    'pass a signer.SigningProfile on the Notation-OCI-SHA384-ECDSA platform, or leave it out for a new one'),
};

/** The AWS Signer platform of container image signatures. */
const NOTATION_PLATFORM = signer.Platform.NOTATION_OCI_SHA384_ECDSA.platformId;
const MAX_FILTERS = 100;
const MAX_FILTER_LENGTH = 256;

/**
 * ECR managed signing: every image pushed to a matching repository is signed, with the identity of the pusher,
 * by an AWS Signer profile for Notation; `grantSign` gives a pusher the permission this needs.
 *
 * The signing configuration is an account/region singleton: deploy exactly one, in one stack per account and
 * region. A second `EcrManagedSigning` in the same stack is an error; two stacks that both deploy one to the same
 * account and region overwrite each other, which this construct cannot see. Each signature counts as one image
 * against the repository's image quota.
 *
 * A signature is an untagged image to ECR's lifecycle rules, which can't tell it from other untagged images: a rule
 * for untagged images deletes the signatures of the images other rules keep, and verifying those images then fails.
 * An `EcrRepository` this configuration signs warns at synth (`cdk-secure-ecr:lifecycleDeletesSignatures`) when its
 * lifecycle policy has such a rule.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/managed-signing.html
 */
export class EcrManagedSigning extends Construct {
  /** The underlying CloudFormation resource. */
  public readonly resource: ecr.CfnSigningConfiguration;

  /** The AWS Signer profile that signs the images: `signingProfile` or the one created. */
  public readonly signingProfile: signer.ISigningProfile;

  /**
   * @param scope the parent construct.
   * @param id the construct id.
   * @param props the repositories to sign and the signing profile.
   */
  public constructor(scope: Construct, id: string, props: EcrManagedSigningProps) {
    super(scope, id);
    props = checkProps(this, 'EcrManagedSigning', props, PROPS_TYPES);
    const problems = filterProblems(props.repositoryFilters);
    if (props.signingProfile !== undefined) {
      problems.push(...profileProblems(props.signingProfile));
    }
    throwIfProblems(`${this.node.path}: invalid EcrManagedSigning props`, problems);
    claimOncePerStack(this, 'EcrManagedSigning', first =>
      `only one EcrManagedSigning is allowed per stack, and '${first}' already is one. `
      + 'The signing configuration is one per account and region: put every repository filter in one EcrManagedSigning.');

    this.signingProfile = props.signingProfile
      ?? new signer.SigningProfile(this, 'SigningProfile', { platform: signer.Platform.NOTATION_OCI_SHA384_ECDSA });
    this.resource = new ecr.CfnSigningConfiguration(this, 'Resource', {
      rules: [{
        signingProfileArn: this.signingProfile.signingProfileArn,
        repositoryFilters: props.repositoryFilters.map(filter => ({ filter, filterType: 'WILDCARD_MATCH' })),
      }],
    });
    // An EcrRepository it signs warns at synth when its lifecycle rules delete signatures of images they keep.
    signingCoverage.register(this.resource);
  }

  /**
   * Grant what a pusher needs for ECR to sign its images: `signer:SignPayload` on the signing profile. Push
   * permissions on the repository come from the repository (`repo.grantPush(grantee)`).
   *
   * @param grantee the role, user or other grantable that pushes images.
   * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/managed-signing.html
   */
  public grantSign(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['signer:SignPayload'],
      resourceArns: [this.signingProfile.signingProfileArn],
    });
  }
}

function filterProblems(filters: string[]): string[] {
  const problems: string[] = [];
  if (filters.length === 0 || filters.length > MAX_FILTERS) {
    problems.push(`repositoryFilters: give 1 to ${MAX_FILTERS} filters ('*' for every repository), got ${filters.length}`);
  }
  filters.forEach((filter, i) => {
    if (!Token.isUnresolved(filter) && (filter.length > MAX_FILTER_LENGTH || !SIGNING_FILTER.test(filter))) {
      problems.push(`repositoryFilters[${i}]: '${filter}' is not a repository filter; use up to ${MAX_FILTER_LENGTH} lower-case `
        + "letters, digits and '*', separated by '.', '_' or '-', with '/' between namespaces (e.g. 'prod/*')");
    }
  });
  return problems;
}

function profileProblems(profile: signer.ISigningProfile): string[] {
  const problems: string[] = [];
  const name = profile.signingProfileName;
  if (!Token.isUnresolved(name) && !SIGNING_PROFILE_NAME.test(name)) {
    problems.push(`signingProfile: the name '${name}' does not fit ECR's signing configuration, which takes 2 to 64 letters, digits and '_' only`);
  }
  const cfn = profile.node.defaultChild;
  if (cfn instanceof signer.CfnSigningProfile && cfn.platformId !== NOTATION_PLATFORM) {
    problems.push(`signingProfile: the platform is '${cfn.platformId}'; ECR signs container images with '${NOTATION_PLATFORM}' `
      + '(signer.Platform.NOTATION_OCI_SHA384_ECDSA)');
  }
  return problems;
}
