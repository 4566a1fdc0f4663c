// What a resource of the library finally says in the template, after property overrides, L1 setters, Aspects,
// mixins and later calls, and the checks every guarantee runs on it at synthesis (from `node.addValidation`).
//
// Why `_toCloudFormation()`: aws-cdk-lib (2.230 to 2.278) has no public way to read a resource with its overrides
// before the template is written: the overrides are a private field, and the L1 getters and Aspects see the
// properties without them. The public alternative, a policy validation plugin (`IPolicyValidationPluginBeta1`),
// runs only when the user registers it on the App, only after the cloud assembly is written, and reports by
// setting `process.exitCode` instead of throwing, so a unit test's `Template.fromStack` would pass. A validation
// that renders the resource as the stack will is on by default, throws with the construct path, and sees exactly
// what CloudFormation gets. It is the one place the library reads an `@internal` member; test/private/
// final-template.test.ts pins the behaviour on the floor and the newest aws-cdk-lib.
import { Annotations, CfnResource, Stack, aws_ecr as ecr } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import * as principalChecks from './principal-checks';
import { immutabilityProblems } from './repository-settings';
import { isObject } from './text';

/** A resource as the template will have it, resolved. */
export interface RenderedResource {
  /** Its `Properties` (empty when it has none). */
  readonly properties: Record<string, unknown>;
  /** Its `DeletionPolicy`, e.g. `Retain`. */
  readonly deletionPolicy?: string;
}

/** The resource as the template will have it: every override applied, every token resolved. */
export function rendered(cfn: CfnResource): RenderedResource {
  const fragment: unknown = Stack.of(cfn).resolve(cfn._toCloudFormation());
  const resources = isObject(fragment) && isObject(fragment.Resources) ? Object.values(fragment.Resources) : [];
  const resource = isObject(resources[0]) ? resources[0] : {};
  return {
    properties: isObject(resource.Properties) ? resource.Properties : {},
    deletionPolicy: typeof resource.DeletionPolicy === 'string' ? resource.DeletionPolicy : undefined,
  };
}

/**
 * What made a property of `cfn` differ from what the library wrote, for a message: an override (when the rendered
 * value differs from the L1 property), a direct change of the L1 property (when it is no longer `written`, the
 * value the library set), or a change through the construct after its checks.
 *
 * @param name the CloudFormation property name, e.g. `RepositoryPolicyText`
 * @param l1Value the L1 property's value now (its getter)
 * @param written the value the library set on the L1 property
 * @param renderedValue the property in `rendered(cfn)`
 */
export function changedBy(cfn: CfnResource, name: string, l1Value: unknown, written: unknown, renderedValue: unknown): string {
  const stack = Stack.of(cfn);
  if (JSON.stringify(stack.resolve(l1Value)) !== JSON.stringify(renderedValue)) {
    return `changed by an override of ${name} on ${cfn.node.path} (addOverride, addPropertyOverride or addPropertyDeletionOverride)`;
  }
  if (l1Value !== written) {
    return `changed by setting ${name} on ${cfn.node.path} directly (an L1 property setter, an Aspect or a mixin)`;
  }
  return 'changed after the checks at the call (a statement changed after it was added, e.g. with addAnyPrincipal(), or added through an escape hatch)';
}

/**
 * A rendered policy property as a document: a JSON object as it is, a JSON string parsed, an `Fn::Join` of a
 * JSON string (`stack.toJsonString` with tokens) parsed with its unreadable parts as unreadable values.
 *
 * @returns the document, or a problem when the text is not JSON
 */
export function policyDocument(value: unknown): { readonly document?: unknown; readonly problem?: string } {
  const join = isObject(value) ? value['Fn::Join'] : undefined;
  const text = typeof value === 'string' ? value
    : Array.isArray(join) && join[0] === '' && Array.isArray(join[1]) ? join[1].map(jsonPart).join('') : undefined;
  if (text === undefined) {
    return { document: value };
  }
  try {
    return { document: JSON.parse(text) };
  } catch (e) {
    return { problem: `the policy text is not JSON (${(e as Error).message}); write it as a policy document` };
  }
}

/** A part of a JSON string built with tokens: a literal as it is, an intrinsic as the text it stands for, JSON-escaped. */
function jsonPart(part: unknown): string {
  if (typeof part === 'string') {
    return part;
  }
  const [value] = principalChecks.candidates(part);
  return JSON.stringify(value).slice(1, -1);
}

/**
 * The principal problems of a rendered policy document (`principal-checks.ts`), each prefixed with
 * `<what> statement '<Sid>'`; what could not be checked in a statement that writes (an unresolved principal or
 * condition value) is reported as the warning `cdk-secure-ecr:uncheckedPrincipal` on `scope`.
 *
 * @param scope the construct that owns the policy: warnings go on it
 * @param document the rendered policy document, e.g. `policyDocument(rendered(cfn).properties.PolicyText).document`
 * @param what what the policy is, for the messages, e.g. `repository policy`
 */
export function policyProblems(scope: IConstruct, document: unknown, what: string, options: principalChecks.PrincipalCheckOptions = {}): string[] {
  const problems: string[] = [];
  principalChecks.statementsOf(document).forEach((statement, i) => {
    const name = `${what} statement ${principalChecks.statementName(statement, i)}`;
    const check = principalChecks.checkStatement(statement, options);
    problems.push(...check.problems.map(problem => `${name}: ${problem}`));
    if (check.unchecked.length > 0) {
      Annotations.of(scope).addWarningV2('cdk-secure-ecr:uncheckedPrincipal', `${name} writes, and the library cannot read ${check.unchecked.join(', ')} `
        + '(a parameter, an import or Fn::If is only known at deployment), so it could not check who it lets in: make sure it names '
        + "accounts, roles or organizations and never '*', or acknowledge this warning.");
    }
  });
  return problems;
}

/** The settings a repository (or the repositories of a template) must still have in the final template. */
export interface PromisedSettings {
  /** The tag mutability the props asked for: an `IMMUTABLE...` one must stay as it is. */
  readonly mutability: string;
  /** The encryption type the props asked for: with a customer key, type and key must stay as they are. */
  readonly encryption: string;
  /** The key's ARN (a token), with KMS or KMS_DSSE. */
  readonly keyArn?: string;
  /** The preset that promised IMMUTABLE tags (e.g. `forCompliance`): an exclusion filter of every tag is then an error, not a warning. */
  readonly immutableBy?: string;
}

/**
 * Problems of the tag immutability and the customer key in the rendered properties of an `AWS::ECR::Repository` or
 * `AWS::ECR::RepositoryCreationTemplate` (both name them alike), against what the props promised.
 *
 * @param construct the construct's class, for the fix: `EcrRepository`
 * @param why what changed a property, by its name (see `changedBy`)
 */
export function promisedSettingsProblems(
  cfn: CfnResource, properties: Record<string, unknown>, promises: PromisedSettings, construct: string, why: (name: string) => string,
): string[] {
  const stack = Stack.of(cfn);
  const problems: string[] = immutabilityProblems(cfn, properties, promises.immutableBy);
  const made = construct === 'EcrRepository' ? 'this repository was made' : 'this template was made';
  const mutability = properties.ImageTagMutability ?? ecr.TagMutability.MUTABLE;
  if (promises.mutability.startsWith('IMMUTABLE') && mutability !== promises.mutability) {
    problems.push(`ImageTagMutability is ${JSON.stringify(mutability)} in the final template, but ${made} with `
      + `${promises.mutability} tags ${why('ImageTagMutability')}; set imageTagMutability on the ${construct} instead`);
  }
  const encryption = properties.EncryptionConfiguration;
  const encryptionType = isObject(encryption) ? encryption.EncryptionType ?? 'AES256' : 'AES256';
  const keyArn = isObject(encryption) ? encryption.KmsKey : undefined;
  const promisedKey = JSON.stringify(stack.resolve(promises.keyArn));
  const customerKey = promises.encryption !== ecr.RepositoryEncryption.AES_256.value;
  if (customerKey && (encryptionType !== promises.encryption || JSON.stringify(keyArn) !== promisedKey)) {
    problems.push(`EncryptionConfiguration is ${JSON.stringify(encryption ?? 'AES256 (absent)')} in the final template, but ${made} `
      + `with ${promises.encryption} and the key ${promisedKey} ${why('EncryptionConfiguration')}; set encryption and encryptionKey on the ${construct} instead`);
  }
  return problems;
}
