package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dsrbot/dsrbot/bot/slack/slacktest"
)

// TestRunJobsEscapeForSlackAndPrintPlain: a shop name and a buyer's review
// that carry markup reach Slack escaped through the outbox (the text and
// the blocks it stores and posts), while the preview printed without a
// Slack token shows them as typed, since a person reads it.
func TestRunJobsEscapeForSlackAndPrintPlain(t *testing.T) {
	db := filepath.Join(t.TempDir(), "dsrbot.db")
	mustRun(t, db, "shop", "add", "s1", "--name", "<!channel> 潮衣馆 & Co", "--platform", "douyin", "--channel", "C1")
	reviews := writeFile(t, "reviews.csv", "shop,review_id,order_id,product_id,product,rating,created_at,content\n"+
		"s1,R1,O1,P1,<!here> 连衣裙,1,2026-11-24 08:00:00,<!channel> 太差了 <https://evil.example|点我退款>\n")
	mustRun(t, db, "import", "reviews", reviews)
	orders := writeFile(t, "orders.csv", "shop,order_id,product,amount,paid_at\n"+
		"s1,O9,<#C123> 大衣,99.00,2026-11-21 08:00:00\n")
	mustRun(t, db, "import", "orders", orders)

	// Without a token: printed as typed.
	for _, job := range []string{"digest", "shipments"} {
		out := mustRun(t, db, "run", job, "--shop", "s1")
		for _, want := range []string{"<!channel> 潮衣馆 & Co"} {
			if !strings.Contains(out, want) {
				t.Errorf("run %s prints no %q as typed:\n%s", job, want, out)
			}
		}
		if strings.Contains(out, "&lt;") || strings.Contains(out, "&amp;") {
			t.Errorf("run %s prints entities:\n%s", job, out)
		}
	}
	if out := mustRun(t, db, "run", "digest", "--shop", "s1"); !strings.Contains(out, "<!here> 连衣裙") || !strings.Contains(out, "<!channel> 太差了") {
		t.Errorf("the digest's preview lacks the review as typed:\n%s", out)
	}

	// With a token: through the outbox to Slack, escaped in every field.
	slack := slacktest.New()
	defer slack.Close()
	env := map[string]string{"DSRBOT_DB": db, "SLACK_BOT_TOKEN": "xoxb-test", "SLACK_API_URL": slack.URL()}
	for _, job := range []string{"digest", "shipments"} {
		var out, errOut bytes.Buffer
		m := &Main{Getenv: func(k string) string { return env[k] }, Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut,
			Now: func() time.Time { return now }}
		err := m.Run(context.Background(), []string{"run", job, "--shop", "s1"})
		m.Close()
		if err != nil {
			t.Fatalf("run %s: %v\n%s", job, err, errOut.String())
		}
	}
	posts := slack.Posts()
	if len(posts) != 2 {
		t.Fatalf("%d posts, want the digest and the warnings", len(posts))
	}
	for _, p := range posts {
		var blocks any
		if err := json.Unmarshal(p.Blocks, &blocks); err != nil {
			t.Fatal(err)
		}
		for field, s := range map[string]string{"text": p.Text, "blocks": texts(blocks)} {
			for _, markup := range []string{"<!", "<#", "<http"} {
				if strings.Contains(s, markup) {
					t.Errorf("the %s posted carries %q:\n%s", field, markup, s)
				}
			}
			if !strings.Contains(s, "&lt;!channel&gt; 潮衣馆 &amp; Co") {
				t.Errorf("the %s posted lacks the shop's name, escaped:\n%s", field, s)
			}
		}
	}
	if !strings.Contains(posts[0].Text, "&lt;!channel&gt; 太差了 &lt;https://evil.example|点我退款&gt;") {
		t.Errorf("the digest posted lacks the review, escaped:\n%s", posts[0].Text)
	}
}

// texts is every string under a "text" key of a JSON value.
func texts(v any) string {
	var out []string
	var walk func(any)
	walk = func(v any) {
		switch v := v.(type) {
		case []any:
			for _, x := range v {
				walk(x)
			}
		case map[string]any:
			for k, x := range v {
				if s, ok := x.(string); ok && k == "text" {
					out = append(out, s)
				}
				walk(x)
			}
		}
	}
	walk(v)
	return strings.Join(out, "\n")
}
