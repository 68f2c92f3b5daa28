import { ArnFormat, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

/**
 * The two kinds of secrets the engine uses.
 *
 * 1. The normalization master key (`NormalizationKey`, data stack): a generated Secrets Manager
 *    secret. Functions that normalize Graph objects (the API's inventory ingest, CaptureSnapshot,
 *    InventorySync) read it through `SECRET_KEY_SECRET_ARN` and derive each workspace's HMAC key from
 *    it (HKDF-SHA256, info = workspace id), so secret values are stored only as keyed digests.
 *    It lives with the tables: replacing it changes every secret digest, so every policy holding a
 *    secret would drift. It is not rotated automatically for the same reason.
 *
 * 2. Tenant credentials (`TenantSecretsAccess`, app stack): one Secrets Manager secret per tenant,
 *    created outside this stack, named `<prefix><tenantId>`, TAGGED `tenantId = <tenantId>`, encrypted
 *    with the account's default `aws/secretsmanager` key. The role `TenantSecretsReader` may read a
 *    secret under the prefix only when the secret's `tenantId` tag equals the session tag `tenantId`
 *    (ABAC). The sync function assumes it once per tenant with that session tag, so a session opened
 *    for one tenant cannot read another tenant's credentials.
 */

/** Length of the generated master key (letters and digits: about 380 bits). */
export const NORMALIZATION_KEY_LENGTH = 64;

export interface NormalizationKeySecretProps {
  readonly stage: string;
  /** Keep the key when the stack is deleted (losing it changes every secret digest). */
  readonly retain: boolean;
}

export class NormalizationKeySecret extends Construct {
  readonly secret: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: NormalizationKeySecretProps) {
    super(scope, id);
    this.secret = new secretsmanager.Secret(this, 'Secret', {
      description: `Baseline Drift Engine (stage ${props.stage}): master key of the per-workspace HMAC keys that digest policy secrets`,
      generateSecretString: {
        passwordLength: NORMALIZATION_KEY_LENGTH,
        excludePunctuation: true,
        includeSpace: false,
        requireEachIncludedType: true,
      },
      removalPolicy: props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The HMAC master key is not rotated automatically: a new key changes every stored secret digest and with it the hash of every policy holding a secret (drift everywhere). Rotation is a planned re-capture.',
    });
  }
}

/** The session tag (and secret tag) that binds a tenant-credential read to one tenant. */
export const TENANT_TAG_KEY = 'tenantId';

export interface TenantSecretsAccessProps {
  /** Secret name prefix: tenant secrets are named `<prefix><tenantId>`. */
  readonly secretPrefix: string;
  /** The role that may assume the reader role (the sync function's). */
  readonly consumer: iam.IRole;
}

export class TenantSecretsAccess extends Construct {
  /** `TenantSecretsReader`: reads the tenant secret whose tag matches the session's tenant, nothing else. */
  readonly readerRole: iam.Role;
  /** The ARN pattern of the tenant secrets. */
  readonly secretArnPattern: string;

  constructor(scope: Construct, id: string, props: TenantSecretsAccessProps) {
    super(scope, id);
    const stack = Stack.of(this);

    // The assume request must carry the tenantId session tag (and no other tag).
    const sessionConditions = {
      Null: { [`aws:RequestTag/${TENANT_TAG_KEY}`]: 'false' },
      'ForAllValues:StringEquals': { 'aws:TagKeys': [TENANT_TAG_KEY] },
    };
    this.readerRole = new iam.Role(this, 'TenantSecretsReader', {
      description: 'Reads one tenant\'s Graph credentials: the secret whose tenantId tag equals the session tag tenantId',
      assumedBy: new iam.SessionTagsPrincipal(
        new iam.PrincipalWithConditions(new iam.ArnPrincipal(props.consumer.roleArn), sessionConditions),
      ),
      maxSessionDuration: Duration.hours(1),
    });

    this.secretArnPattern = stack.formatArn({
      service: 'secretsmanager',
      resource: 'secret',
      resourceName: `${props.secretPrefix}*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    this.readerRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ReadOwnTenantSecretOnly',
        actions: ['secretsmanager:GetSecretValue'],
        resources: [this.secretArnPattern],
        conditions: {
          StringEquals: { [`secretsmanager:ResourceTag/${TENANT_TAG_KEY}`]: `\${aws:PrincipalTag/${TENANT_TAG_KEY}}` },
          Null: { [`aws:PrincipalTag/${TENANT_TAG_KEY}`]: 'false' },
        },
      }),
    );
    Validations.of(this.readerRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:${props.secretPrefix}*]`,
      reason:
        'Tenant secrets are created per tenant outside the stack; the wildcard covers the name prefix only and the ABAC condition narrows every read to the secret tagged with the session\'s tenantId.',
    });

    iam.Grant.addToPrincipal({
      grantee: props.consumer,
      actions: ['sts:AssumeRole', 'sts:TagSession'],
      resourceArns: [this.readerRole.roleArn],
    });
  }
}

/**
 * The webhook master key (data stack): a generated Secrets Manager secret. The API (creating a
 * destination: its signing secret is derived and returned once, its URL sealed) and WebhookDelivery
 * (re-deriving the secret to sign, opening the URL) read it through `WEBHOOK_KEY_SECRET_ARN`;
 * nothing else may. Replacing it invalidates every destination's secret and URL, so it lives with the
 * tables and is not rotated automatically.
 */
export class WebhookKeySecret extends Construct {
  readonly secret: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: NormalizationKeySecretProps) {
    super(scope, id);
    this.secret = new secretsmanager.Secret(this, 'Secret', {
      description: `Baseline Drift Engine (stage ${props.stage}): master key of webhook signing secrets and sealed webhook URLs`,
      generateSecretString: { passwordLength: NORMALIZATION_KEY_LENGTH, excludePunctuation: true, includeSpace: false, requireEachIncludedType: true },
      removalPolicy: props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'The webhook master key derives every destination\'s signing secret: rotating it would silently change the secrets receivers verify with. A new key is a planned re-creation of the destinations.',
    });
  }
}
