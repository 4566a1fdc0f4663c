// Shared builders for the lifecycle engine tests: a fixed `now`, images aged in days, rules in the
// exact JSON shape ECR reads.
import { EcrImage, ImageStorageClass } from '../../src/lifecycle/image';
import { PolicyActionJson, PolicyDocumentJson, PolicyRuleJson, PolicySelectionJson } from '../../src/lifecycle/policy-document';

export const NOW = new Date('2026-06-01T12:00:00.000Z');
export const DAY_MS = 86_400_000;

/** A moment `days` days before NOW (fractions allowed). */
export function daysAgo(days: number): Date {
  return new Date(NOW.getTime() - days * DAY_MS);
}

/** An image named `name` (digest `sha256:<name>`), pushed `pushedDaysAgo` days before NOW. */
export function image(name: string, tags: string[], pushedDaysAgo: number, extra: Partial<EcrImage> = {}): EcrImage {
  return { digest: `sha256:${name}`, tags, pushedAt: daysAgo(pushedDaysAgo), ...extra };
}

/** An archived image, archived `archivedDaysAgo` days before NOW. */
export function archivedImage(name: string, tags: string[], pushedDaysAgo: number, archivedDaysAgo: number): EcrImage {
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
