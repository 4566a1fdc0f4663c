// The check of an enum value that JavaScript callers pass unchecked ('high' for FindingSeverity.HIGH): a value
// outside the enum would render a template or event pattern that CloudFormation rejects or that never matches.

/**
 * A problem when `value` is set but is not one of `allowed`, naming the prop, the value and the valid ones.
 *
 * @param prop the prop's name, e.g. `minimumSeverity`
 * @param typeName the enum's name, e.g. `FindingSeverity`
 * @param allowed the enum's members (`Object.values(FindingSeverity)`), or a subset of them
 */
export function enumProblems(prop: string, value: unknown, typeName: string, allowed: readonly unknown[]): string[] {
  if (value === undefined || allowed.includes(value)) {
    return [];
  }
  return [`${prop}: ${JSON.stringify(value)} is not a valid ${typeName}; use one of ${allowed.map(v => JSON.stringify(v)).join(', ')}`];
}
