// Shared test fixtures: a fresh stack and the parsed lifecycle policy of its repository; for the lifecycle
// engine, a fixed `now`, images aged in days, and rules in the exact JSON shape ECR reads.
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ImageDetail, ImageStorageClass } from '../src/lifecycle/image';
import { PolicyActionJson, PolicyDocumentJson, PolicyRuleJson, PolicySelectionJson } from '../src/lifecycle/private/policy-document';

export function newStack(): Stack {
  return new Stack(new App(), 'TestStack', { env: { account: '111111111111', region: 'eu-west-1' } });
}

/** The `rules` of the lifecycle policy text of the only AWS::ECR::Repository in the stack. */
export function lifecycleRulesOf(stack: Stack): any[] {
  const repositories = Template.fromStack(stack).findResources('AWS::ECR::Repository');
  const [repository] = Object.values(repositories);
  return JSON.parse(repository.Properties.LifecyclePolicy.LifecyclePolicyText).rules;
}

export const NOW = new Date('2026-06-01T12:00:00.000Z');
export const DAY_MS = 86_400_000;

/** A moment `days` days before NOW (fractions allowed). */
export function daysAgo(days: number): Date {
  return new Date(NOW.getTime() - days * DAY_MS);
}

/** An image named `name` (digest `sha256:<name>`), pushed `pushedDaysAgo` days before NOW. */
export function image(name: string, tags: string[], pushedDaysAgo: number, extra: Partial<ImageDetail> = {}): ImageDetail {
  return { digest: `sha256:${name}`, tags, pushedAt: daysAgo(pushedDaysAgo), ...extra };
}

/** An archived image, archived `archivedDaysAgo` days before NOW. */
export function archivedImage(name: string, tags: string[], pushedDaysAgo: number, archivedDaysAgo: number): ImageDetail {
  return image(name, tags, pushedDaysAgo, { storageClass: ImageStorageClass.ARCHIVE, lastArchivedAt: daysAgo(archivedDaysAgo) });
}

export function rule(rulePriority: number, selection: PolicySelectionJson, action: PolicyActionJson = { type: 'expire' }): PolicyRuleJson {
  return { rulePriority, description: `Rule ${rulePriority}`, selection, action };
}

export function policy(...rules: PolicyRuleJson[]): PolicyDocumentJson {
  return { rules };
}

export const TRANSITION: PolicyActionJson = { type: 'transition', targetStorageClass: 'archive' };

/** The short names (digest without `sha256:`) of a verdict list, in order. */
export function names(verdicts: { digest: string }[]): string[] {
  return verdicts.map((v) => v.digest.replace('sha256:', ''));
}

/** The short names, sorted: for results whose order doesn't matter to the assertion. */
export function nameSet(verdicts: { digest: string }[]): string[] {
  return names(verdicts).sort();
}
