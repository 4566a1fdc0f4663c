// The final template: a resource as CloudFormation gets it (after overrides), and its policies read as documents.
import { CfnResource, Fn } from 'aws-cdk-lib';
import { changedBy, policyDocument, rendered } from '../../src/private/final-template';
import { newStack } from '../util';

describe('rendered', () => {
  test('returns the properties after overrides, resolved, and the DeletionPolicy', () => {
    const stack = newStack();
    const cfn = new CfnResource(stack, 'Thing', { type: 'Test::Thing', properties: { A: 1, B: { C: stack.account } } });
    cfn.addPropertyOverride('B.D', 'added');
    cfn.addPropertyDeletionOverride('A');
    cfn.addOverride('DeletionPolicy', 'Retain');

    expect(rendered(cfn)).toEqual({ properties: { B: { C: '111111111111', D: 'added' } }, deletionPolicy: 'Retain' });
  });

  test('a resource without properties has none', () => {
    const cfn = new CfnResource(newStack(), 'Thing', { type: 'Test::Thing' });
    expect(rendered(cfn)).toEqual({ properties: {}, deletionPolicy: undefined });
  });
});

describe('changedBy', () => {
  test('names an override, a setter and a later change apart', () => {
    const stack = newStack();
    const cfn = new CfnResource(stack, 'Thing', { type: 'Test::Thing', properties: { A: 'written' } });
    expect(changedBy(cfn, 'A', 'written', 'written', 'written')).toMatch(/^changed after the checks at the call/);
    expect(changedBy(cfn, 'A', 'set', 'written', 'set')).toMatch(/^changed by setting A on TestStack\/Thing directly/);
    expect(changedBy(cfn, 'A', 'written', 'written', 'overridden')).toMatch(/^changed by an override of A on TestStack\/Thing/);
  });
});

describe('policyDocument', () => {
  const statement = { Effect: 'Allow', Principal: { AWS: '*' }, Action: 'ecr:PutImage' };

  test('takes a document object as it is and parses a JSON string', () => {
    expect(policyDocument({ Statement: [statement] })).toEqual({ document: { Statement: [statement] } });
    expect(policyDocument(JSON.stringify({ Statement: [statement] }))).toEqual({ document: { Statement: [statement] } });
  });

  test('parses the Fn::Join of a JSON string with tokens, reading what it can and marking the rest', () => {
    const stack = newStack();
    const text = stack.resolve(stack.toJsonString({ Statement: [{ ...statement, Principal: { AWS: [Fn.sub('*'), Fn.importValue('X')] } }] }));
    const document = policyDocument(text).document as any;
    expect(document.Statement[0].Principal.AWS).toEqual(['*', '\u0000']);
  });

  test('reports text that is not JSON', () => {
    expect(policyDocument('{"Statement": [')).toEqual({ problem: expect.stringMatching(/^the policy text is not JSON \(.*\); write it as a policy document$/) });
  });
});
