// The registry features of cdk-secure-ecr in a Go app of their own (a second stack, RegistryStack): the
// compliance preset, a repository creation template, a pull through cache rule with its one-line template, a
// pull-time update exclusion, managed signing and the registry policy. registry_test.go checks its template;
// every language under test/consumers/ builds the same stack (see ../README.md).
package consumer

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecr"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdk-secure-ecr/cdk-secure-ecr-go/cdksecureecr"
)

// RegistryStackName is the name of the registry app's one stack.
const RegistryStackName = "RegistryStack"

// BuildRegistryApp builds the app: one stack with every registry construct the library offers.
func BuildRegistryApp() awscdk.App {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String(RegistryStackName), nil)

	cdksecureecr.EcrRepository_ForCompliance(stack, jsii.String("Compliance"), nil)
	cdksecureecr.NewEcrRepositoryCreationTemplate(stack, jsii.String("Template"), &cdksecureecr.EcrRepositoryCreationTemplateProps{
		Prefix:     jsii.String("ROOT"),
		AppliedFor: &[]cdksecureecr.RepositoryCreationTemplateAppliedFor{cdksecureecr.RepositoryCreationTemplateAppliedFor_CREATE_ON_PUSH},
		Encryption: awsecr.RepositoryEncryption_KMS(),
		Tags:       &map[string]*string{"team": jsii.String("platform")},
	})
	cache := cdksecureecr.NewEcrPullThroughCache(stack, jsii.String("Cache"), &cdksecureecr.EcrPullThroughCacheProps{
		Upstream: cdksecureecr.UpstreamRegistry_ECR_PUBLIC(),
	})
	cache.AddRepositoryCreationTemplate(jsii.String("Template"), nil)
	cdksecureecr.NewEcrPullTimeUpdateExclusion(stack, jsii.String("ScannerExclusion"), &cdksecureecr.EcrPullTimeUpdateExclusionProps{
		Principal: awsiam.Role_FromRoleArn(stack, jsii.String("Scanner"), jsii.String("arn:aws:iam::111111111111:role/scanner"), nil),
	})
	signing := cdksecureecr.NewEcrManagedSigning(stack, jsii.String("Signing"), &cdksecureecr.EcrManagedSigningProps{
		RepositoryFilters: jsii.Strings("prod/*"),
	})
	signing.GrantSign(awsiam.NewRole(stack, jsii.String("Pusher"), &awsiam.RoleProps{
		AssumedBy: awsiam.NewAccountPrincipal(jsii.String("111111111111")),
	}))
	cdksecureecr.NewEcrRegistryPolicy(stack, jsii.String("RegistryPolicy")).AllowReplicationFrom(jsii.Strings("222222222222"))
	return app
}

// SynthRegistryTemplate synthesizes the registry app and returns the CloudFormation template of its one stack.
func SynthRegistryTemplate() map[string]interface{} {
	template := BuildRegistryApp().Synth(nil).GetStackByName(jsii.String(RegistryStackName)).Template()
	return template.(map[string]interface{})
}
