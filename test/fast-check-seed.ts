// Jest setup: property-based tests (fast-check) run with a fixed seed, so every run, CI's included, sees the
// same inputs and can be reproduced. Explore other inputs with FC_SEED=<number> npx jest.
import fc from 'fast-check';

fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261127) });
