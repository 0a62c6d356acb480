package slack_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/dsrbot/dsrbot/storage"
)

// TestSlackDouyinIDAndHandover runs the new grammar through Slack: a 抖店
// review ID typed without spaces in a mention is assigned and answered in
// the thread; a slash command claims it from its owner, says so to the
// asker, and the message queued for the previous owner reaches them as a
// direct message when delivered.
func TestSlackDouyinIDAndHandover(t *testing.T) {
	e := trNewEnv(t)
	ctx := context.Background()
	const id = "6921345678901234571-3581004"
	csv := "shop,review_id,order_id,product_id,rating,created_at,content\n" +
		"dy-fashion," + id + ",6921345678901234571,3581004,1,2026-11-24 08:00:00,尺码偏小\n"
	if _, err := e.db.Import(ctx, storage.KindReviews, "r.csv", strings.NewReader(csv)); err != nil {
		t.Fatal(err)
	}

	const lead = "U0LEAD001"
	mention := trMention("EvDY1", lead, "", "<@UBOT>分配"+id+"给<@"+trBo+">", "1764000000.000100", "")
	if code, _, _ := e.do(e.request("/slack/events", trJSONType, mention)); code != http.StatusOK {
		t.Fatalf("event: %d", code)
	}
	e.srv.Wait()
	posts := e.fake.Posts()
	if len(posts) != 1 || posts[0].Channel != "C1" || posts[0].ThreadTS == "" || strings.TrimSpace(posts[0].Text) != id+" → <@"+trBo+">: follow-up assigned." {
		t.Fatalf("the mention's answer: %+v", posts)
	}

	r := e.slash("claim "+strings.ToUpper(id)+" dy-fashion", trAlice, "C1", e.fake.ResponseURL("claim"))
	if r.ResponseType != "ephemeral" || strings.TrimSpace(r.Text) != id+" was <@"+trBo+">'s; now yours." {
		t.Fatalf("the claim's answer: %+v", r)
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
	if _, err := e.client.Deliver(ctx, m.Channel, m.Key, m.Text, []byte(m.Blocks)); err != nil {
		t.Fatal(err)
	}
	posts = e.fake.Posts()
	dm := posts[len(posts)-1]
	if dm.Channel != "D"+trBo || !strings.Contains(dm.Text, "<@"+trAlice+"> took over "+id+" (潮衣馆 Trend Closet · dy-fashion) from you") || len(dm.Blocks) == 0 {
		t.Fatalf("the direct message: %+v", dm)
	}
}
