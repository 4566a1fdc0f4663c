// The evaluation rules of ECR lifecycle policies, one behaviour per test, plus property-based checks.
import * as fc from 'fast-check';
import { ImageDetail, ImageStorageClass } from '../../../src/lifecycle/image';
import * as documentValidator from '../../../src/lifecycle/private/document-validator';
import { PolicyDocumentJson, PolicyRuleJson } from '../../../src/lifecycle/private/policy-document';
import * as simulator from '../../../src/lifecycle/private/simulator';
import { archivedImage, DAY_MS, daysAgo, image, names, nameSet, NOW, policy, rule, TRANSITION } from '../../util';

const preview = (doc: PolicyDocumentJson, images: ImageDetail[]) => simulator.preview(doc, images, { now: NOW });
const keepNewest = (priority: number, count: number) => rule(priority, { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: count });
const prodKeep = (priority: number, count: number) => rule(priority, { tagStatus: 'tagged', tagPrefixList: ['prod'], countType: 'imageCountMoreThan', countNumber: count });
const pushedOver = (priority: number, days: number, selection: Partial<PolicyRuleJson['selection']> = { tagStatus: 'any' }) =>
  rule(priority, { tagStatus: 'any', ...selection, countType: 'sinceImagePushed', countUnit: 'days', countNumber: days });

describe('priority and protection', () => {
  test('GIVEN a higher rule that keeps an image WHEN a lower rule would expire it THEN it is kept', () => {
    const result = preview(policy(pushedOver(1, 30, { tagStatus: 'tagged', tagPrefixList: ['prod'] }), keepNewest(2, 1)), [
      image('prod-old', ['prod-1'], 10), image('newest', ['dev'], 1),
    ]);
    expect(names(result.kept)).toEqual(['newest', 'prod-old']);
    expect(result.kept[1]).toEqual({
      digest: 'sha256:prod-old',
      tags: ['prod-1'],
      rulePriority: 1,
      reason: 'kept by rule 1, the first rule selecting it (images matching tagPrefixList ["prod"]): pushed 10 days ago, not more than 30 days; this protects it from rule 2, which would have expired it',
      storageClass: ImageStorageClass.STANDARD,
      inUseBy: [],
    });
  });

  test('lower count rules still count images that higher rules protect', () => {
    // prod-new and prod-old are protected by rule 1 but occupy rule 2's newest-2 places, so dev is expired.
    const result = preview(policy(prodKeep(1, 5), keepNewest(2, 2)), [image('prod-new', ['prod-2'], 1), image('prod-old', ['prod-1'], 2), image('dev', ['dev'], 3)]);
    expect(names(result.expired)).toEqual(['dev']);
    expect(result.expired[0].reason).toBe('expired by rule 2: number 3 of the 3 images, newest first, of which the rule keeps 2');
  });

  test('an image is actioned by at most one rule: the highest-priority rule that selects it', () => {
    const result = preview(policy(pushedOver(1, 5, { tagStatus: 'tagged', tagPatternList: ['*'] } ), keepNewest(2, 1)), [image('a', ['x'], 10), image('b', ['y'], 9)]);
    expect(result.expired.map((v) => v.rulePriority)).toEqual([1, 1]);
  });

  test('an untagged rule protects untagged images from the any rule', () => {
    const result = preview(policy(rule(1, { tagStatus: 'untagged', countType: 'imageCountMoreThan', countNumber: 5 }), keepNewest(2, 1)), [
      image('u1', [], 3), image('u2', [], 2), image('t', ['v1'], 1),
    ]);
    expect(nameSet(result.kept)).toEqual(['t', 'u1', 'u2']);
  });

  test('rules apply in rulePriority order, whatever their order in the document', () => {
    const repository = [image('A', ['beta-1', 'prod-1'], 10), image('B', ['beta-2', 'prod-2'], 9), image('C', ['beta-3'], 8)];
    const beta = rule(1, { tagStatus: 'tagged', tagPatternList: ['beta*'], countType: 'imageCountMoreThan', countNumber: 1 });
    const prod = rule(2, { tagStatus: 'tagged', tagPatternList: ['prod*'], countType: 'imageCountMoreThan', countNumber: 1 });
    expect(nameSet(preview(policy(prod, beta), repository).expired)).toEqual(['A', 'B']);
  });

  test('an image no rule selects is kept, and says so', () => {
    const result = preview(policy(prodKeep(1, 1)), [image('dev', ['dev'], 100), image('bare', [], 100)]);
    expect(result.kept.map((v) => v.reason)).toEqual([
      'no rule selects it (standard storage, untagged)',
      'no rule selects it (standard storage, tags that no rule matches)',
    ]);
    expect(result.kept[0].rulePriority).toBeUndefined();
  });
});

describe('imageCountMoreThan', () => {
  test('keeps the newest countNumber images by push time and actions the rest, whatever the input order', () => {
    const images = [image('d', ['v'], 4), image('a', ['v'], 1), image('c', ['v'], 3), image('b', ['v'], 2)];
    const result = preview(policy(keepNewest(1, 2)), images);
    expect(names(result.kept)).toEqual(['a', 'b']);
    expect(names(result.expired)).toEqual(['c', 'd']);
  });

  test('equal push times: the smaller digest counts as the newer', () => {
    const same = 5;
    const result = preview(policy(keepNewest(1, 1)), [image('b', ['v'], same), image('c', ['v'], same), image('a', ['v'], same)]);
    expect(names(result.kept)).toEqual(['a']);
    expect(names(result.expired)).toEqual(['b', 'c']);
  });

  test('the tie-break does not depend on the input order', () => {
    const images = [image('b', ['v'], 1), image('a', ['v'], 1), image('c', ['v'], 2)];
    const forward = preview(policy(keepNewest(1, 1)), images);
    const backward = preview(policy(keepNewest(1, 1)), [...images].reverse());
    expect(backward).toEqual(forward);
  });

  test('a restored image is ordered by its activation time', () => {
    const result = preview(policy(keepNewest(1, 1)), [image('restored', ['v1'], 300, { lastActivatedAt: daysAgo(1) }), image('recent', ['v2'], 10)]);
    expect(names(result.kept)).toEqual(['restored']);
  });
});

describe('day-based count types', () => {
  test('sinceImagePushed: an image exactly N days old is kept, one a millisecond older is actioned', () => {
    const result = preview(policy(pushedOver(1, 7)), [
      image('exact', ['a'], 7), { digest: 'sha256:older', tags: ['b'], pushedAt: new Date(NOW.getTime() - 7 * DAY_MS - 1) },
    ]);
    expect(names(result.expired)).toEqual(['older']);
    expect(names(result.kept)).toEqual(['exact']);
  });

  test('sinceImagePushed: a restored image ages from its activation time', () => {
    const result = preview(policy(pushedOver(1, 30, { tagStatus: 'any' })), [image('restored', ['v'], 400, { lastActivatedAt: daysAgo(5) })]);
    expect(result.kept[0].reason).toBe('kept by rule 1, the first rule selecting it (all images): restored 5 days ago, not more than 30 days');
  });

  const pulled = (days: number) => rule(1, { tagStatus: 'any', countType: 'sinceImagePulled', countUnit: 'days', countNumber: days }, TRANSITION);

  test('sinceImagePulled: ages from the last pull', () => {
    const result = preview(policy(pulled(30)), [image('idle', ['a'], 100, { lastPulledAt: daysAgo(31) }), image('busy', ['b'], 100, { lastPulledAt: daysAgo(29) })]);
    expect(names(result.transitioned)).toEqual(['idle']);
    expect(result.transitioned[0].reason).toBe('transitioned to archive by rule 1 (all images): last pulled 31 days ago, more than 30 days');
  });

  test('sinceImagePulled: a never-pulled image ages from its push', () => {
    const result = preview(policy(pulled(30)), [image('never', ['a'], 31)]);
    expect(result.transitioned[0].reason).toMatch(/never pulled, pushed 31 days ago/);
  });

  test('sinceImagePulled: a restored image not pulled since ages from its activation', () => {
    const result = preview(policy(pulled(30)), [
      image('restored-idle', ['a'], 400, { lastPulledAt: daysAgo(200), lastActivatedAt: daysAgo(10) }),
      image('restored-never', ['b'], 400, { lastActivatedAt: daysAgo(40) }),
      image('restored-pulled', ['c'], 400, { lastActivatedAt: daysAgo(100), lastPulledAt: daysAgo(50) }),
    ]);
    expect(names(result.transitioned)).toEqual(['restored-never', 'restored-pulled']);
    expect(result.kept[0].reason).toMatch(/not pulled since restored 10 days ago/);
    expect(result.transitioned[0].reason).toMatch(/not pulled since restored 40 days ago/);
    expect(result.transitioned[1].reason).toMatch(/last pulled 50 days ago/);
  });

  test('sinceImageTransitioned: ages archived images from lastArchivedAt', () => {
    const doc = policy(rule(1, { tagStatus: 'tagged', tagPrefixList: ['v'], storageClass: 'archive', countType: 'sinceImageTransitioned', countUnit: 'days', countNumber: 90 }));
    const result = preview(doc, [archivedImage('old', ['v1'], 500, 91), archivedImage('young', ['v2'], 500, 89)]);
    expect(names(result.expired)).toEqual(['old']);
    expect(result.expired[0].reason).toBe('expired by rule 1 (archived images matching tagPrefixList ["v"]): archived 91 days ago, more than 90 days');
  });

  test('sinceImageTransitioned: an archived image without lastArchivedAt is kept, and says why', () => {
    const doc = policy(rule(1, { tagStatus: 'any', storageClass: 'archive', countType: 'sinceImageTransitioned', countUnit: 'days', countNumber: 90 }));
    const result = preview(doc, [image('unknown', ['v'], 500, { storageClass: ImageStorageClass.ARCHIVE })]);
    expect(result.kept[0].reason).toBe('kept by rule 1, the first rule selecting it (all archived images): no lastArchivedAt recorded, so its time in archive is unknown, not more than 90 days');
  });

  test('a day reason says "1 day" in the singular', () => {
    const result = preview(policy(pushedOver(1, 2)), [image('a', ['v'], 1)]);
    expect(result.kept[0].reason).toMatch(/pushed 1 day ago/);
  });
});

describe('storage classes', () => {
  test('standard rules never select archived images, archive rules never select standard ones', () => {
    const doc = policy(keepNewest(1, 1), rule(2, { tagStatus: 'any', storageClass: 'archive', countType: 'sinceImageTransitioned', countUnit: 'days', countNumber: 90 }));
    const result = preview(doc, [image('std-new', ['a'], 1), image('std-old', ['b'], 2), archivedImage('arch', ['c'], 3, 10)]);
    expect(names(result.expired)).toEqual(['std-old']);
    expect(result.kept.find((v) => v.digest === 'sha256:arch')?.rulePriority).toBe(2);
  });

  test('a count rule can transition images to archive', () => {
    const result = preview(policy(rule(1, { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 1 }, TRANSITION)), [image('a', ['v'], 1), image('b', ['v'], 2)]);
    expect(names(result.transitioned)).toEqual(['b']);
    expect(result.transitioned[0].reason).toBe('transitioned to archive by rule 1: number 2 of the 2 images, newest first, of which the rule keeps 1');
  });
});

describe('bad input', () => {
  test('an image without a digest is refused', () => {
    expect(() => preview(policy(keepNewest(1, 1)), [{ digest: '', pushedAt: NOW }])).toThrow('preview: images[0] has no digest');
  });

  test('an image without a valid push time is refused, naming it', () => {
    expect(() => preview(policy(keepNewest(1, 1)), [{ digest: 'sha256:x', pushedAt: new Date('nope') }])).toThrow(
      'preview: image sha256:x (images[0]) needs a valid pushedAt Date, got Invalid Date');
  });

  test('an invalid now is refused', () => {
    expect(() => simulator.preview(policy(keepNewest(1, 1)), [], { now: new Date(NaN) })).toThrow(/options.now must be a valid Date/);
  });

  test('now defaults to the current time', () => {
    const result = simulator.preview(policy(pushedOver(1, 1)), [{ digest: 'sha256:a', pushedAt: new Date(Date.now() - 2 * DAY_MS) }]);
    expect(names(result.expired)).toEqual(['a']);
  });

  test('effectivePushTime is the activation time of a restored image, else the push time', () => {
    expect(simulator.effectivePushTime(image('a', [], 10))).toBe(daysAgo(10).getTime());
    expect(simulator.effectivePushTime(image('a', [], 10, { lastActivatedAt: daysAgo(2) }))).toBe(daysAgo(2).getTime());
  });

  test('more than 32 rules are evaluated (the selection bits span several words)', () => {
    const rules = Array.from({ length: 40 }, (_, i) => rule(i + 1, { tagStatus: 'tagged', tagPrefixList: [`t${i}-`], countType: 'imageCountMoreThan', countNumber: 1 }));
    const result = preview(policy(...rules), [image('a', ['t39-a'], 2), image('b', ['t39-b'], 1), image('c', ['t0-c'], 3)]);
    expect(names(result.expired)).toEqual(['a']);
    expect(result.expired[0].rulePriority).toBe(40);
  });
});

// Property-based: random valid policies over random repositories.
const TAGS = ['prod-1', 'prod-2', 'beta-1', 'dev', 'v1.0', 'v1.1', 'sha-abc', 'latest'];
const imageArb = fc.record({
  name: fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 4, maxLength: 4 }),
  tags: fc.subarray(TAGS, { maxLength: 3 }),
  pushed: fc.integer({ min: 0, max: 400 }),
  pulled: fc.option(fc.integer({ min: 0, max: 400 }), { nil: undefined }),
  archivedDays: fc.option(fc.integer({ min: 0, max: 400 }), { nil: undefined }),
});
const selectionArb = fc.oneof(
  fc.record({ tagStatus: fc.constant('tagged'), tagPrefixList: fc.subarray(['prod', 'beta', 'v1', 'sha', 'dev', 'l'], { minLength: 1, maxLength: 2 }) }),
  fc.record({ tagStatus: fc.constant('tagged'), tagPatternList: fc.subarray(['prod-*', '*-1', 'v*.*', '*', 'latest', '*a*'], { minLength: 1, maxLength: 2 }) }),
);
const countArb = fc.oneof(
  fc.record({ countType: fc.constant('imageCountMoreThan'), countNumber: fc.integer({ min: 1, max: 5 }) }),
  fc.record({ countType: fc.constant('sinceImagePushed'), countUnit: fc.constant('days'), countNumber: fc.integer({ min: 1, max: 300 }) }),
);
/** Valid by construction: tagged rules with distinct prefix sets, an optional untagged rule, an optional last any rule, an optional archive rule. */
const policyArb = fc.record({
  tagged: fc.array(fc.record({ selection: selectionArb, count: countArb, transition: fc.boolean() }), { maxLength: 4 }),
  untagged: fc.option(countArb, { nil: undefined }),
  any: fc.option(fc.oneof(countArb, fc.record({ countType: fc.constant('sinceImagePulled'), countUnit: fc.constant('days'), countNumber: fc.integer({ min: 1, max: 300 }) })), { nil: undefined }),
  archiveDays: fc.option(fc.integer({ min: 90, max: 400 }), { nil: undefined }),
}).map(({ tagged, untagged, any, archiveDays }) => {
  const rules: PolicyRuleJson[] = [];
  const seenPrefixes = new Set<string>();
  for (const t of tagged) {
    if ('tagPrefixList' in t.selection) {
      const key = [...new Set(t.selection.tagPrefixList)].sort().join();
      if (seenPrefixes.has(key)) continue;
      seenPrefixes.add(key);
    }
    rules.push(rule(rules.length + 1, { ...t.selection, ...t.count } as PolicyRuleJson['selection'], t.transition ? TRANSITION : undefined));
  }
  if (untagged) rules.push(rule(rules.length + 1, { tagStatus: 'untagged', ...untagged }));
  if (any) rules.push(rule(rules.length + 1, { tagStatus: 'any', ...any }, any.countType === 'sinceImagePulled' ? TRANSITION : undefined));
  if (archiveDays) rules.push(rule(rules.length + 1, { tagStatus: 'any', storageClass: 'archive', countType: 'sinceImageTransitioned', countUnit: 'days', countNumber: archiveDays }));
  if (rules.length === 0) rules.push(rule(1, { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 3 }));
  return policy(...rules);
});
const repositoryArb = fc.uniqueArray(imageArb, { selector: (i) => i.name, maxLength: 25 }).map((entries) => entries.map((e): ImageDetail => ({
  digest: `sha256:${e.name}`,
  tags: e.tags,
  pushedAt: daysAgo(e.pushed),
  ...(e.pulled !== undefined && { lastPulledAt: daysAgo(Math.min(e.pulled, e.pushed)) }),
  ...(e.archivedDays !== undefined && { storageClass: ImageStorageClass.ARCHIVE, lastArchivedAt: daysAgo(Math.min(e.archivedDays, e.pushed)) }),
})));

describe('properties', () => {
  test('the generated policies are valid', () => {
    fc.assert(fc.property(policyArb, (doc) => {
      expect(documentValidator.validate(doc)).toEqual([]);
    }), { numRuns: 300 });
  });

  test('every image gets exactly one verdict, with its tags', () => {
    fc.assert(fc.property(policyArb, repositoryArb, (doc, images) => {
      const result = preview(doc, images);
      const all = [...result.expired, ...result.transitioned, ...result.kept];
      expect(nameSet(all)).toEqual(nameSet(images));
      for (const verdict of all) {
        expect(verdict.tags).toEqual(images.find((i) => i.digest === verdict.digest)?.tags);
      }
    }), { numRuns: 300 });
  });

  test('the result does not depend on the order of the images', () => {
    fc.assert(fc.property(policyArb, repositoryArb, (doc, images) => {
      expect(preview(doc, [...images].reverse())).toEqual(preview(doc, images));
    }), { numRuns: 300 });
  });

  test('idempotence: applying the result and previewing again actions nothing more', () => {
    fc.assert(fc.property(policyArb, repositoryArb, (doc, images) => {
      const result = preview(doc, images);
      const expired = new Set(result.expired.map((v) => v.digest));
      const transitioned = new Set(result.transitioned.map((v) => v.digest));
      const after = images
        .filter((i) => !expired.has(i.digest))
        .map((i) => (transitioned.has(i.digest) ? { ...i, storageClass: ImageStorageClass.ARCHIVE, lastArchivedAt: NOW } : i));
      const again = preview(doc, after);
      expect(again.expired).toEqual([]);
      expect(again.transitioned).toEqual([]);
    }), { numRuns: 500 });
  });

  test('an actioned image is selected by its rule, and by no higher-priority rule', () => {
    const selectingRule = (r: PolicyRuleJson, i: ImageDetail) => {
      const alone = preview(policy({ ...r, rulePriority: 1 }), [i]);
      return [...alone.expired, ...alone.transitioned, ...alone.kept][0].rulePriority !== undefined;
    };
    fc.assert(fc.property(policyArb, repositoryArb, (doc, images) => {
      const result = preview(doc, images);
      for (const verdict of [...result.expired, ...result.transitioned]) {
        const target = images.find((i) => i.digest === verdict.digest) as ImageDetail;
        const own = doc.rules.find((r) => r.rulePriority === verdict.rulePriority) as PolicyRuleJson;
        expect(selectingRule(own, target)).toBe(true);
        for (const higher of doc.rules.filter((r) => r.rulePriority < own.rulePriority)) {
          expect(selectingRule(higher, target)).toBe(false);
        }
      }
    }), { numRuns: 200 });
  });

  test('an imageCountMoreThan rule alone keeps exactly min(N, selected) images', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 10 }), repositoryArb, (count, images) => {
      const standard = images.filter((i) => i.storageClass !== ImageStorageClass.ARCHIVE);
      const result = preview(policy(keepNewest(1, count)), standard);
      expect(result.kept).toHaveLength(Math.min(count, standard.length));
      const pushTime = (digest: string) => simulator.effectivePushTime(standard.find((i) => i.digest === digest) as ImageDetail);
      const newestExpired = Math.max(...result.expired.map((v) => pushTime(v.digest)));
      for (const keptVerdict of result.kept) {
        expect(pushTime(keptVerdict.digest)).toBeGreaterThanOrEqual(newestExpired);
      }
    }), { numRuns: 300 });
  });
});
