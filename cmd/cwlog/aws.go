package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
)

// awsFlags override the AWS settings the default chain reads.
type awsFlags struct {
	region, profile, endpoint string
}

func (f *awsFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.region, "region", "", "AWS `region`; overrides AWS_REGION and the profile's region")
	fs.StringVar(&f.profile, "profile", "", "shared config `profile`; overrides AWS_PROFILE")
	fs.StringVar(&f.endpoint, "endpoint-url", "", "CloudWatch Logs endpoint `URL`; overrides AWS_ENDPOINT_URL_CLOUDWATCH_LOGS")
}

// client builds a CloudWatch Logs client as the AWS CLI would configure
// one: environment, shared config and credentials files, the profile, the
// default credential chain; then the flags.
func (f *awsFlags) client(ctx context.Context) (*cloudwatchlogs.Client, error) {
	opts := []func(*config.LoadOptions) error{config.WithAppID("cwlog-cli")}
	if f.region != "" {
		opts = append(opts, config.WithRegion(f.region))
	}
	if f.profile != "" {
		opts = append(opts, config.WithSharedConfigProfile(f.profile))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("load the AWS configuration: %w", err)
	}
	return cloudwatchlogs.NewFromConfig(cfg, func(o *cloudwatchlogs.Options) {
		if f.endpoint != "" {
			o.BaseEndpoint = aws.String(f.endpoint)
		}
	}), nil
}
