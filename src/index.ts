// The public API of cdk-secure-ecr: every export below is a jsii type. Internal helpers live under private/.
export * from './repository';
export * from './access/repository-access-props';
export * from './repository-settings-props';
export * from './lifecycle/lifecycle-rules';
export * from './lifecycle/lifecycle-rule';
export * from './lifecycle/policy';
export * from './lifecycle/image';
export * from './lifecycle/image-inventory';
export * from './alerts/scan-findings';
export * from './registry/scanning';
export * from './registry/replication';
export * from './registry/pull-through-cache';
export * from './registry/repository-creation-template';
export * from './registry/pull-time-update-exclusion';
export * from './registry/managed-signing';
export * from './registry/registry-policy';
