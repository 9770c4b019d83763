package core_test

import (
	"context"
	"maps"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/cwlogtest"
)

// A group the Shipper creates gets its retention, tags, KMS key and class,
// as DescribeLogGroups and ListTagsForResource then show them.
func TestGroupOptionsOnCreate(t *testing.T) {
	srv := cwlogtest.Start(t, nil)
	const key = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	tags := map[string]string{"team": "payments", "env": "prod"}
	s, errs := newShipper(t, srv, func(c *core.Config) {
		c.RetentionDays = 30
		c.GroupTags = tags
		c.KMSKeyID = key
		c.LogGroupClass = types.LogGroupClassInfrequentAccess
	})
	mustAddAll(t, s, msgs("options", 3))
	checkDelivers(t, srv, s, msgs("options", 3))
	if len(errs.All()) != 0 {
		t.Fatalf("reported %v", errs.All())
	}

	ctx := context.Background()
	client := srv.Client()
	out, err := client.DescribeLogGroups(ctx, &cloudwatchlogs.DescribeLogGroupsInput{LogGroupNamePrefix: aws(group)})
	if err != nil || len(out.LogGroups) != 1 {
		t.Fatalf("DescribeLogGroups = %+v, %v", out, err)
	}
	g := out.LogGroups[0]
	if *g.LogGroupName != group || g.RetentionInDays == nil || *g.RetentionInDays != 30 ||
		g.KmsKeyId == nil || *g.KmsKeyId != key || g.LogGroupClass != types.LogGroupClassInfrequentAccess {
		t.Fatalf("group %+v, want retention 30, the key and INFREQUENT_ACCESS", g)
	}
	got, err := client.ListTagsForResource(ctx, &cloudwatchlogs.ListTagsForResourceInput{ResourceArn: g.LogGroupArn})
	if err != nil || !maps.Equal(got.Tags, tags) {
		t.Fatalf("tags %v, %v; want %v", got.Tags, err, tags)
	}
}
