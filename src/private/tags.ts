// The tag rules of ECR (and of the KMS key and rules this library tags with them): at most 50 tags, keys of 1 to
// 128 and values of 0 to 256 Unicode characters, neither starting with the reserved `aws:`.
// @see https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_Tag.html
// @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/ecr-using-tags.html
import { Token } from 'aws-cdk-lib';

/** The most tags ECR accepts on a resource. */
const MAX_TAGS = 50;
const MAX_KEY_LENGTH = 128;
const MAX_VALUE_LENGTH = 256;

/** Every problem of a set of tags, each naming the tag; tokens are skipped. */
export function tagProblems(tags: Record<string, string>): string[] {
  const entries = Object.entries(tags);
  const problems = entries.length > MAX_TAGS ? [`tags: at most ${MAX_TAGS} tags per resource (an ECR limit), got ${entries.length}`] : [];
  for (const [key, value] of entries) {
    if (!Token.isUnresolved(key)) {
      const length = characters(key);
      if (length < 1 || length > MAX_KEY_LENGTH || reserved(key)) {
        problems.push(`tags: key '${key}' must be 1 to ${MAX_KEY_LENGTH} characters (got ${length}) and not start with 'aws:'`);
      }
    }
    if (!Token.isUnresolved(value) && (characters(value) > MAX_VALUE_LENGTH || reserved(value))) {
      problems.push(`tags: the value of '${key}' must be at most ${MAX_VALUE_LENGTH} characters (got ${characters(value)}) and not start with 'aws:'`);
    }
  }
  return problems;
}

/** The length in Unicode characters (code points), as AWS counts it: 'ü' and '🚀' are one each. */
function characters(text: string): number {
  return [...text].length;
}

function reserved(text: string): boolean {
  return text.toLowerCase().startsWith('aws:');
}
