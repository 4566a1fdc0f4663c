// `ecr-lifecycle-preview` input loading: the images (describe-images and batch-get-image output) and the policy
// (a policy file, or the LifecyclePolicyText of a repository in a synthesized template). Every problem is an
// `InputError` naming the file.

import { constants } from 'buffer';
import { readFileSync } from 'fs';
import { CliOptions, InputError } from './options';
import { ImageDetail } from '../lifecycle/image';
import { ImageInventory } from '../lifecycle/image-inventory';
import { InUseReference, InUseReferences } from '../lifecycle/in-use-references';
import { EcrLifecyclePolicy } from '../lifecycle/policy';
import { isObject, withoutBom } from '../private/text';

/** Reads a whole file as UTF-8; throws with the reason when it can't. */
export type ReadFile = (path: string) => string;

/** A policy and where it comes from, for the output's heading. */
export interface LoadedPolicy {
  readonly policy: EcrLifecyclePolicy;
  readonly name: string;
  readonly ruleCount: number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * A file's text. A JSON file longer than the longest string JavaScript holds (about 512 MB: the AWS CLI's
 * indented output of about a million images) is read without the whitespace between its tokens.
 */
export function readText(path: string, maxLength: number = constants.MAX_STRING_LENGTH): string {
  const bytes = readFileSync(path);
  return (bytes.length > maxLength ? withoutJsonWhitespace(bytes) : bytes).toString('utf8');
}

/** `json` without whitespace outside strings: one pass, byte by byte (UTF-8 continuation bytes are never ASCII). */
export function withoutJsonWhitespace(json: Buffer): Buffer {
  const out = Buffer.allocUnsafe(json.length);
  let length = 0;
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const byte = json[i];
    if (inString) {
      if (byte === BACKSLASH) {
        out[length++] = byte;
        out[length++] = json[++i];
        continue;
      }
      inString = byte !== QUOTE;
    } else if (byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09) { // JSON's whitespace
      continue;
    } else {
      inString = byte === QUOTE;
    }
    out[length++] = byte;
  }
  return out.subarray(0, length);
}

/** The images of `--images`, with the index manifests of `--index-manifests`. */
export function loadImages(readFile: ReadFile, options: CliOptions): ImageDetail[] {
  const text = readInput(readFile, '--images', options.images);
  const batchGetImageOutputs = options.indexManifests.map((path) => readInput(readFile, '--index-manifests', path));
  try {
    return ImageInventory.fromDescribeImagesOutput(text, { batchGetImageOutputs });
  } catch (e) {
    const files = [options.images, ...options.indexManifests].join(', ');
    throw new InputError(`--images ${options.indexManifests.length > 0 ? `and --index-manifests files ${files}` : `file ${files}`}: ${(e as Error).message}`);
  }
}

/** The references of every `--in-use` file, each file's format detected on its own. */
export function loadInUse(readFile: ReadFile, options: CliOptions): InUseReference[] {
  const references: InUseReference[] = [];
  for (const path of options.inUse) {
    const text = readInput(readFile, '--in-use', path);
    try {
      // One file's references at a time, pushed one by one: no spread of a list that may be 100,000 long.
      for (const reference of InUseReferences.parse(text, path)) references.push(reference);
    } catch (e) {
      throw new InputError(`--in-use file ${(e as Error).message}`);
    }
  }
  return references;
}

/** The policy of `--policy` or `--template`, validated once (by `EcrLifecyclePolicy.fromJson`). */
export function loadPolicy(readFile: ReadFile, options: CliOptions): LoadedPolicy {
  const source = options.policy !== undefined
    ? { text: readInput(readFile, '--policy', options.policy), name: options.policy, option: '--policy file' }
    : policyFromTemplate(readInput(readFile, '--template', options.template as string), options.template as string, options.repository);
  let policy: EcrLifecyclePolicy;
  try {
    policy = EcrLifecyclePolicy.fromJson(source.text);
  } catch (e) {
    throw new InputError(`${source.option} ${source.name}: ${(e as Error).message}`);
  }
  return { policy, name: source.name, ruleCount: (JSON.parse(source.text).rules as unknown[]).length };
}

function readInput(readFile: ReadFile, option: string, path: string): string {
  try {
    return withoutBom(readFile(path));
  } catch (e) {
    throw new InputError(`cannot read ${option} file ${path}: ${(e as Error).message}`);
  }
}

function policyFromTemplate(text: string, file: string, repository: string | undefined): { text: string; name: string; option: string } {
  let template: unknown;
  try {
    template = JSON.parse(text);
  } catch (e) {
    throw new InputError(`--template file ${file} is not valid JSON: ${(e as Error).message}`);
  }
  const resources = isObject(template) && isObject(template.Resources) ? template.Resources : {};
  const repositories = Object.entries(resources)
    .filter(([, resource]) => isObject(resource) && resource.Type === 'AWS::ECR::Repository')
    .map(([logicalId, resource]) => {
      const properties = isObject(resource) && isObject(resource.Properties) ? resource.Properties : {};
      const name = typeof properties.RepositoryName === 'string' ? properties.RepositoryName : undefined;
      const policy = isObject(properties.LifecyclePolicy) ? properties.LifecyclePolicy.LifecyclePolicyText : undefined;
      return { logicalId, name, policy };
    });
  const describeAll = () => repositories.map((r) => r.logicalId + (r.name === undefined ? '' : ` (${r.name})`)).join(', ');
  if (repositories.length === 0) {
    throw new InputError(`--template file ${file} has no AWS::ECR::Repository resource`);
  }
  let chosen = repositories[0];
  if (repository !== undefined) {
    const found = repositories.find((r) => r.logicalId === repository || r.name === repository);
    if (found === undefined) {
      throw new InputError(`--template file ${file} has no repository with logical ID or RepositoryName ${JSON.stringify(repository)}; it has ${describeAll()}`);
    }
    chosen = found;
  } else if (repositories.length > 1) {
    throw new InputError(`--template file ${file} has ${repositories.length} repositories; choose one with --repository: ${describeAll()}`);
  }
  if (chosen.policy === undefined) {
    throw new InputError(`repository ${chosen.logicalId} in ${file} has no LifecyclePolicy.LifecyclePolicyText`);
  }
  if (typeof chosen.policy !== 'string') {
    throw new InputError(`repository ${chosen.logicalId} in ${file}: LifecyclePolicyText is not a plain string (${JSON.stringify(chosen.policy).slice(0, 60)}...); it is only known at deploy time`);
  }
  return { text: chosen.policy, name: `${file} (${chosen.logicalId})`, option: '--template file' };
}
