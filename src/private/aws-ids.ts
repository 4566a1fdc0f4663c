// What AWS's own identifiers look like, checked once for every prop that takes one: account ids, regions.
import { Token } from 'aws-cdk-lib';

/** What an AWS region name looks like: `us-east-1`, `eu-central-2`, `us-gov-west-1`, `cn-north-1`, `us-isob-east-1`. */
const REGION = /^[a-z]{2,4}(-(gov|iso|isob|isoe|isof))?-[a-z]+-\d{1,2}$/;

/** An AWS account id: exactly 12 digits. */
export const ACCOUNT_ID = /^\d{12}$/;

/** True when the value is a literal (not a token) that does not look like an AWS region. */
export function isBadRegion(value: string): boolean {
  return !Token.isUnresolved(value) && !REGION.test(value);
}

/** True when the value is a literal (not a token) that is not a 12-digit AWS account id. */
export function isBadAccount(value: string): boolean {
  return !Token.isUnresolved(value) && !ACCOUNT_ID.test(value);
}
