// Image references as workloads write them, taken apart: `<registry>/<repository>:<tag>`,
// `<registry>/<repository>@sha256:<hex>`, both (`:<tag>@sha256:<hex>`: the digest is what runs), or a bare
// `sha256:<hex>` digest. Kubernetes' `docker-pullable://` prefix (dockershim's imageID) is dropped.
// An Amazon ECR private registry host is `<account>.dkr.ecr.<region>.amazonaws.com` (`.amazonaws.com.cn` in
// China, `dkr.ecr-fips` for FIPS endpoints, `<account>.dkr-ecr.<region>.on.aws` for dual-stack); its
// registry id is the account. A name without a registry host (`nginx:1.27`, `team/app`) is Docker Hub's.
// Every expression here runs in linear time.
// @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/docker-pull-ecr-image.html
// @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/Registries.html

import { ECR_REGISTRY_HOST, IMAGE_DIGEST, IMAGE_TAG } from '../../private/aws-ids';

/** An image reference, taken apart. */
export interface ParsedReference {
  /** The registry host, when the reference names one. */
  readonly host?: string;
  /** The registry id (AWS account) of an Amazon ECR private registry host. */
  readonly registryId?: string;
  /** The repository name (the path after the host), when the reference names one. */
  readonly repository?: string;
  /** The tag; `latest` for a name with neither tag nor digest, as `docker pull` reads it. */
  readonly tag?: string;
  /** The manifest digest, `sha256:<64 hex>`. */
  readonly digest?: string;
}

const PULLABLE_PREFIXES = ['docker-pullable://'];

/** Whether `text` is a manifest digest as ECR writes it (`sha256:` and 64 lowercase hex digits). */
export function isDigest(text: string): boolean {
  return IMAGE_DIGEST.test(text);
}

/**
 * The parts of `reference`, or a string saying why it is no image reference.
 */
export function parse(reference: string): ParsedReference | string {
  let text = reference.trim();
  for (const prefix of PULLABLE_PREFIXES) {
    if (text.startsWith(prefix)) text = text.slice(prefix.length);
  }
  if (text.length === 0) {
    return 'an image reference can\'t be empty';
  }
  if (isDigest(text)) {
    return { digest: text };
  }
  let name = text;
  let digest: string | undefined;
  const at = text.indexOf('@');
  if (at >= 0) {
    digest = text.slice(at + 1);
    name = text.slice(0, at);
    if (!isDigest(digest)) {
      return `the digest after "@" must be sha256: and 64 lowercase hex digits, got ${JSON.stringify(digest)}`;
    }
  }
  const slash = name.indexOf('/');
  const first = slash < 0 ? '' : name.slice(0, slash);
  // As Docker reads a name: the first part is a registry host if it has a dot or a port, or is localhost.
  const hasHost = first.includes('.') || first.includes(':') || first === 'localhost';
  const host = hasHost ? first : undefined;
  let path = hasHost ? name.slice(slash + 1) : name;
  let tag: string | undefined;
  const colon = path.lastIndexOf(':');
  if (colon > path.lastIndexOf('/')) {
    tag = path.slice(colon + 1);
    path = path.slice(0, colon);
    if (!IMAGE_TAG.test(tag)) {
      return `the tag after ":" must be 1 to 128 letters, digits, "_", "." or "-" (not starting with "." or "-"), got ${JSON.stringify(tag)}`;
    }
  }
  if (path.length === 0 || /\s/.test(path)) {
    return `no repository name in ${JSON.stringify(reference)}`;
  }
  const registryId = host === undefined ? undefined : ECR_REGISTRY_HOST.exec(host)?.[1];
  return {
    ...(host !== undefined && { host }),
    ...(registryId !== undefined && { registryId }),
    repository: path,
    ...((tag !== undefined || digest === undefined) && { tag: tag ?? 'latest' }),
    ...(digest !== undefined && { digest }),
  };
}

/** `<registry>/<repository>` of `reference` without its tag and digest, for appending a digest. */
export function withoutTagOrDigest(reference: string): string {
  const at = reference.indexOf('@');
  const name = at < 0 ? reference : reference.slice(0, at);
  const colon = name.lastIndexOf(':');
  return colon > name.lastIndexOf('/') ? name.slice(0, colon) : name;
}
