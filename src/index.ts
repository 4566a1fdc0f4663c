export * from './repository';
export * from './lifecycle-rules';
export * from './lifecycle/lifecycle-rule';
export * from './lifecycle/policy';
export * from './lifecycle/image';
export * from './lifecycle/image-inventory';
