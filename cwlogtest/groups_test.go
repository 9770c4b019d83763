package cwlogtest_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"

	"github.com/cwlog/cwlog/cwlogtest"
)

func TestCreateLogGroupOptionsChecked(t *testing.T) {
	srv := cwlogtest.Start(t, nil)
	client := srv.Client()
	ctx := context.Background()
	many := map[string]string{}
	for i := range 51 {
		many[strings.Repeat("k", i+1)] = "v"
	}
	tests := []struct {
		name string
		in   cloudwatchlogs.CreateLogGroupInput
	}{
		{"class", cloudwatchlogs.CreateLogGroupInput{LogGroupClass: "COLD"}},
		{"key", cloudwatchlogs.CreateLogGroupInput{KmsKeyId: aws.String("not-an-arn")}},
		{"51 tags", cloudwatchlogs.CreateLogGroupInput{Tags: many}},
		{"aws: tag", cloudwatchlogs.CreateLogGroupInput{Tags: map[string]string{"aws:x": "y"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			in.LogGroupName = aws.String("g-" + strings.ReplaceAll(tt.name, " ", "-"))
			_, err := client.CreateLogGroup(ctx, &in, func(o *cloudwatchlogs.Options) { o.RetryMaxAttempts = 1 })
			var ip *types.InvalidParameterException
			if !errors.As(err, &ip) {
				t.Fatalf("CreateLogGroup = %v, want InvalidParameterException", err)
			}
			if len(srv.Groups()) != 0 {
				t.Fatalf("groups %v after a refused create", srv.Groups())
			}
		})
	}
}

func TestDescribeLogGroupsAndTags(t *testing.T) {
	srv := cwlogtest.Start(t, nil)
	client := srv.Client()
	ctx := context.Background()
	for _, name := range []string{"app/a", "app/b", "other"} {
		if _, err := client.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{
			LogGroupName: aws.String(name), Tags: map[string]string{"name": name}}); err != nil {
			t.Fatal(err)
		}
	}
	out, err := client.DescribeLogGroups(ctx, &cloudwatchlogs.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String("app/")})
	if err != nil || len(out.LogGroups) != 2 {
		t.Fatalf("DescribeLogGroups = %+v, %v; want app/a and app/b", out, err)
	}
	for _, g := range out.LogGroups {
		if g.LogGroupClass != types.LogGroupClassStandard || g.RetentionInDays != nil || *g.StoredBytes != 0 ||
			*g.Arn != *g.LogGroupArn+":*" {
			t.Errorf("group %s: %+v", *g.LogGroupName, g)
		}
		tags, err := client.ListTagsForResource(ctx, &cloudwatchlogs.ListTagsForResourceInput{ResourceArn: g.LogGroupArn})
		if err != nil || tags.Tags["name"] != *g.LogGroupName {
			t.Errorf("tags of %s: %v, %v", *g.LogGroupName, tags, err)
		}
	}
	_, err = client.ListTagsForResource(ctx, &cloudwatchlogs.ListTagsForResourceInput{
		ResourceArn: aws.String("arn:aws:logs:us-east-1:123456789012:log-group:missing")})
	var nf *types.ResourceNotFoundException
	if !errors.As(err, &nf) {
		t.Fatalf("tags of a missing group: %v, want ResourceNotFoundException", err)
	}
}
