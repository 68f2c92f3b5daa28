import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as sns from 'aws-cdk-lib/aws-sns';
import { describe, expect, it } from 'vitest';
import { synthesizeStacks } from '../../infra/local/synth.js';

/**
 * The AWS Solutions checks (cdk-nag 3, a validation plugin) over both stacks, as `npm run synth`
 * runs them: nothing may be left unacknowledged, errors and warnings alike.
 */

const summary = (violations: { ruleName: string; violatingConstructs: { constructPath: string }[] }[]) =>
  violations.map((v) => `${v.ruleName} at ${v.violatingConstructs.map((c) => c.constructPath).join(', ')}`);

describe('AWS Solutions checks', () => {
  it('leave no unacknowledged finding on the dev stage', () => {
    const { violations } = synthesizeStacks({ nag: true });
    expect(summary(violations ?? [])).toEqual([]);
  });

  it('leave no unacknowledged finding on a retained prod stage with an alarm email, CORS, a sync before each compare and Express children', () => {
    const { violations } = synthesizeStacks({
      nag: true,
      stage: {
        stage: 'prod',
        alarmEmail: 'ops@example.com',
        jwtIssuer: 'https://idp.example.com/',
        apiCorsOrigins: 'https://portal.example.com',
        syncBeforeCompare: 'true',
        workflowType: 'standard-express-children',
      },
    });
    expect(summary(violations ?? [])).toEqual([]);
  });

  it('acknowledge the public routes one by one: another unauthenticated route is reported', () => {
    const { violations } = synthesizeStacks({
      nag: true,
      extend: ({ app }) => {
        app.api.httpApi.addRoutes({
          path: '/debug',
          methods: [apigwv2.HttpMethod.GET],
          integration: new HttpLambdaIntegration('DebugIntegration', app.functions.api),
          authorizer: new apigwv2.HttpNoneAuthorizer(),
        });
      },
    });
    const apig4 = (violations ?? []).filter((v) => v.ruleName === 'AwsSolutions-APIG4');
    expect(apig4.flatMap((v) => v.violatingConstructs.map((c) => c.constructPath))).toEqual([
      'BaselineDriftApp/HttpApi/Api/GET--debug/Resource',
    ]);
  });

  it('do report what they should: a topic that allows plain HTTP', () => {
    const { violations } = synthesizeStacks({
      nag: true,
      extend: ({ app }) => {
        new sns.Topic(app, 'CarelessTopic');
      },
    });
    const rules = (violations ?? []).map((v) => v.ruleName);
    expect(rules).toContain('AwsSolutions-SNS3');
    expect((violations ?? []).flatMap((v) => v.violatingConstructs.map((c) => c.constructPath))).toContain(
      'BaselineDriftApp/CarelessTopic/Resource',
    );
  });
});
