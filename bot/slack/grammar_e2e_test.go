package slack_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/dsrbot/dsrbot/bot/slack"
	"github.com/dsrbot/dsrbot/storage"
)

// TestSlackDouyinIDAndHandover runs the new grammar through Slack: a 抖店
// review ID typed without spaces in a mention is assigned and answered in
// the thread; a slash command claims it from its owner, says so to the
// asker, and the message queued for the previous owner reaches them as a
// direct message when delivered.
func TestSlackDouyinIDAndHandover(t *testing.T) {
	e := newE2E(t)
	ctx := context.Background()
	const id = "6921345678901234571-3581004"
	csv := "shop,review_id,order_id,product_id,rating,created_at,content\n" +
		"dy-fashion," + id + ",6921345678901234571,3581004,1,2026-11-24 08:00:00,尺码偏小\n"
	if _, err := e.db.Import(ctx, storage.KindReviews, "r.csv", strings.NewReader(csv)); err != nil {
		t.Fatal(err)
	}

	env := mentionEnvelope("EvDY1", "U0LEAD", "", "<@UBOT>分配"+id+"给<@U0BO00001>")
	if code, _ := e.send("/slack/events", "application/json", env, 0); code != 200 {
		t.Fatalf("event: %d", code)
	}
	e.server.Wait()
	posts := e.slack.Posts()
	if len(posts) != 1 || posts[0].Channel != "C1" || posts[0].ThreadTS == "" || strings.TrimSpace(posts[0].Text) != id+" → <@U0BO00001>: follow-up assigned." {
		t.Fatalf("the mention's answer: %+v", posts)
	}

	_, body := e.send("/slack/commands", "application/x-www-form-urlencoded", slashBody("claim "+strings.ToUpper(id)+" dy-fashion", "C1", e.slack.ResponseURL("claim")), 0)
	var msg struct {
		ResponseType string `json:"response_type"`
		Text         string `json:"text"`
	}
	json.Unmarshal([]byte(body), &msg)
	if msg.ResponseType != "ephemeral" || strings.TrimSpace(msg.Text) != id+" was <@U0BO00001>'s; now yours." {
		t.Fatalf("the claim's answer: %q", body)
	}

	keys, err := e.db.PendingKeys(ctx, "dy-fashion", "handover")
	if err != nil || len(keys) != 1 {
		t.Fatalf("handover messages: %v, %v", keys, err)
	}
	queued, err := e.db.OutboxByKeys(ctx, keys)
	if err != nil || len(queued) != 1 {
		t.Fatalf("outbox: %v, %v", queued, err)
	}
	m := queued[0]
	client := e.server.Poster.(*slack.Client)
	if _, err := client.Deliver(ctx, m.Channel, m.Key, m.Text, []byte(m.Blocks)); err != nil {
		t.Fatal(err)
	}
	posts = e.slack.Posts()
	dm := posts[len(posts)-1]
	if dm.Channel != "DU0BO00001" || !strings.Contains(dm.Text, "<@U0ALICE> took over "+id+" (潮衣馆 Trend Closet · dy-fashion) from you") || len(dm.Blocks) == 0 {
		t.Fatalf("the direct message: %+v", dm)
	}
}
