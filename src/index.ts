export * from './repository';
export * from './lifecycle-rules';
export * from './lifecycle/policy';
