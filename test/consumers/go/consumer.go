// Package consumer is a Go CDK app that uses cdk-secure-ecr as a user would: the module comes from the
// bindings that `npx projen package-all` writes to dist/go (a replace directive in go.mod points there).
// consumer_test.go synthesizes it and checks the template; every language under test/consumers/ builds
// this same stack (see ../README.md).
package consumer

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdk-secure-ecr/cdk-secure-ecr-go/cdksecureecr"
)

// StackName is the name of the app's one stack.
const StackName = "ConsumerStack"

// BuildApp builds the app: one stack with every kind of repository the library offers.
func BuildApp() awscdk.App {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String(StackName), nil)

	basic := cdksecureecr.NewEcrRepository(stack, jsii.String("Basic"), nil)
	prod := cdksecureecr.EcrRepository_ForProduction(stack, jsii.String("Prod"), nil)
	cdksecureecr.EcrRepository_ForDevelopment(stack, jsii.String("Dev"), nil)
	cdksecureecr.NewEcrRepository(stack, jsii.String("Custom"), &cdksecureecr.EcrRepositoryProps{
		RepositoryName: jsii.String("consumer-custom"),
		// Declared with the `any` rule first: it must still be evaluated last.
		LifecycleRules: &[]*cdksecureecr.EcrLifecycleRule{
			cdksecureecr.EcrLifecycleRules_KeepLastNImages(jsii.Number(20)),
			cdksecureecr.EcrLifecycleRules_DeleteTaggedAfterDays(jsii.String("pr-"), jsii.Number(3)),
			cdksecureecr.EcrLifecycleRules_DeleteTaggedAfterDays(jsii.String("feature-"), jsii.Number(7)),
			cdksecureecr.EcrLifecycleRules_DeleteUntaggedAfterDays(jsii.Number(1)),
		},
	})
	key := awskms.NewKey(stack, jsii.String("RepoKey"), &awskms.KeyProps{EnableKeyRotation: jsii.Bool(true)})
	cdksecureecr.NewEcrRepository(stack, jsii.String("Encrypted"), &cdksecureecr.EcrRepositoryProps{EncryptionKey: key})

	puller := awsiam.NewRole(stack, jsii.String("Puller"), &awsiam.RoleProps{
		AssumedBy: awsiam.NewServicePrincipal(jsii.String("ecs-tasks.amazonaws.com"), nil),
	})
	basic.GrantPull(puller)

	// An EcrRepository is an ecr.IRepository: aws-cdk-lib takes it as it is.
	task := awsecs.NewFargateTaskDefinition(stack, jsii.String("Task"), nil)
	task.AddContainer(jsii.String("app"), &awsecs.ContainerDefinitionOptions{
		Image: awsecs.ContainerImage_FromEcrRepository(prod, jsii.String("v1")),
	})
	awslambda.NewDockerImageFunction(stack, jsii.String("Fn"), &awslambda.DockerImageFunctionProps{
		Code: awslambda.DockerImageCode_FromEcr(prod, &awslambda.EcrImageCodeProps{TagOrDigest: jsii.String("v1")}),
	})
	return app
}

// SynthTemplate synthesizes the app and returns the CloudFormation template of its one stack.
func SynthTemplate() map[string]interface{} {
	template := BuildApp().Synth(nil).GetStackByName(jsii.String(StackName)).Template()
	return template.(map[string]interface{})
}
