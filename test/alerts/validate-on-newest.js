// Synthesizes the EventBridge patterns given as JSON (argv[2], an array) as AWS::Events::Rule resources with the
// newest aws-cdk-lib (the aws-cdk-lib-newest dev dependency), whose built-in CloudFormation validation checks
// event patterns (E9014: a `$or` needs at least two branches), and prints the violations it reports as JSON.
// Run by test/alerts/scan-findings.test.ts: the unit tests themselves run on the floor aws-cdk-lib.
const fs = require('fs');
const path = require('path');
const cdk = require('aws-cdk-lib-newest');

const app = new cdk.App({ outdir: fs.mkdtempSync(path.join(require('os').tmpdir(), 'newest-')) });
const stack = new cdk.Stack(app, 'Patterns');
JSON.parse(process.argv[2]).forEach((eventPattern, i) => new cdk.aws_events.CfnRule(stack, `Rule${i}`, { eventPattern }));
const directory = app.synth().directory;
const report = JSON.parse(fs.readFileSync(path.join(directory, 'validation-report.json'), 'utf-8'));
const violations = (report.pluginReports ?? []).flatMap(r => r.violations ?? []);
process.stdout.write(JSON.stringify(violations.map(v => `${v.ruleName}: ${v.description}`)));
