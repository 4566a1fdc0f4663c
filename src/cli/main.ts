#!/usr/bin/env node
// The `ecr-lifecycle-preview` executable (package.json `bin`); the command itself is in ecr-lifecycle-preview.ts.
import { EcrLifecyclePreviewCli } from './ecr-lifecycle-preview';

process.exitCode = EcrLifecyclePreviewCli.run(process.argv.slice(2));
