package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image/png"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dsrbot/dsrbot/bot/chart"
	"github.com/dsrbot/dsrbot/bot/slack/slacktest"
)

// chartWorld is jobWorld with 30 days of s1's scores, so its digest has a
// chart to show.
func chartWorld(t *testing.T) string {
	t.Helper()
	db := jobWorld(t)
	var b strings.Builder
	b.WriteString("shop,date,overall,product,logistics,service\n")
	day := time.Date(2026, 10, 26, 0, 0, 0, 0, time.UTC)
	for i := 0; i < 30; i++ {
		v := 72 - float64(i)/10
		fmt.Fprintf(&b, "s1,%s,%.1f,%.1f,%.1f,%.1f\n", day.AddDate(0, 0, i).Format("2006-01-02"), v, v+1, v-2, v+0.5)
	}
	mustRun(t, db, "import", "scores", writeFile(t, "scores.csv", b.String()))
	return db
}

// flow is the upload and post calls Slack got, in order.
func flow(s *slacktest.Slack) []string {
	var out []string
	for _, m := range s.Order() {
		if strings.HasPrefix(m, "files.") || m == "upload" || m == "chat.postMessage" {
			out = append(out, m)
		}
	}
	return out
}

// imageFiles returns the slack_file IDs of a post's image blocks.
func imageFiles(t *testing.T, p slacktest.Post) []string {
	t.Helper()
	var blocks []struct {
		Type      string `json:"type"`
		SlackFile *struct {
			ID string `json:"id"`
		} `json:"slack_file"`
	}
	if err := json.Unmarshal(p.Blocks, &blocks); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, b := range blocks {
		if b.Type == "image" && b.SlackFile != nil {
			ids = append(ids, b.SlackFile.ID)
		}
	}
	return ids
}

var uploadFlow = []string{"files.getUploadURLExternal", "upload", "files.completeUploadExternal"}

// The digest's chart is uploaded by the three calls, unshared, then the
// digest is posted once showing that file; Slack failing the post (500)
// is retried without a second upload, and a second run posts nothing.
func TestRunDigestShowsChart(t *testing.T) {
	db := chartWorld(t)
	slack := slacktest.New()
	defer slack.Close()
	slack.FailNext(500, 0)
	clock := &fakeClock{t: now}
	for i := 0; i < 2; i++ {
		if out, errOut, code := runSlack(t, db, slack, clock, "run", "digest", "--shop", "s1"); code != 0 {
			t.Fatalf("run %d: exit %d\n%s\n%s", i+1, code, out, errOut)
		}
	}
	want := append(slices.Clone(uploadFlow), "chat.postMessage", "chat.postMessage") // the 500, then the post
	if got := flow(slack); !slices.Equal(got, want) {
		t.Fatalf("calls %v, want %v", got, want)
	}
	files := slack.Files()
	if len(files) != 1 || !files[0].Complete || files[0].Channel != "" || !strings.HasPrefix(files[0].Name, "s1-30d-2026-11-24") {
		t.Fatalf("files %+v, want one complete unshared upload", files)
	}
	img, err := png.Decode(bytes.NewReader(files[0].Data))
	if err != nil {
		t.Fatalf("the upload is not a PNG: %v", err)
	}
	if s := img.Bounds().Size(); s.X != chart.Width || s.Y != chart.Height {
		t.Errorf("image %v, want %dx%d", s, chart.Width, chart.Height)
	}
	posts := slack.Posts()
	if len(posts) != 1 || posts[0].Channel != "C1" {
		t.Fatalf("posts %+v, want one digest in C1", posts)
	}
	if ids := imageFiles(t, posts[0]); !slices.Equal(ids, []string{files[0].ID}) {
		t.Errorf("the digest shows files %v, want [%s]", ids, files[0].ID)
	}
	if !strings.Contains(posts[0].Text, "Week: ") {
		t.Errorf("the digest's text lost its sparkline:\n%s", posts[0].Text)
	}
}

// An upload Slack keeps refusing (429 past the retries, or an error) posts
// the text digest once, sparkline and all, with no image block.
func TestRunDigestUploadFails(t *testing.T) {
	for name, refuse := range map[string]func(*slacktest.Slack){
		"error": func(s *slacktest.Slack) { s.ErrorNextUpload(0, "internal_error") },
		"429": func(s *slacktest.Slack) {
			for i := 0; i < uploadRetry.MaxAttempts; i++ {
				s.ErrorNextUpload(429, "")
			}
		},
	} {
		t.Run(name, func(t *testing.T) {
			db := chartWorld(t)
			slack := slacktest.New()
			defer slack.Close()
			refuse(slack)
			clock := &fakeClock{t: now}
			if out, errOut, code := runSlack(t, db, slack, clock, "run", "digest", "--shop", "s1"); code != 0 {
				t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
			}
			posts := slack.Posts()
			if len(posts) != 1 || len(imageFiles(t, posts[0])) != 0 || !strings.Contains(posts[0].Text, "Week: ") {
				t.Fatalf("posts %+v, want one text digest with its sparkline", posts)
			}
			if n := slack.Calls("files.getUploadURLExternal"); name == "429" && n != uploadRetry.MaxAttempts {
				t.Errorf("%d upload attempts, want %d", n, uploadRetry.MaxAttempts)
			}
			if out, _, _ := runSlack(t, db, slack, clock, "run", "digest", "--shop", "s1"); len(slack.Posts()) != 1 || len(slack.Files()) != 0 {
				t.Fatalf("a second run posted or uploaded again:\n%s", out)
			}
		})
	}
}

// Slack refusing the image block (a file it has not finished processing)
// is asked again after a wait, then the digest goes without its image:
// one post either way.
func TestRunDigestImageRefused(t *testing.T) {
	for _, refusals := range []int{1, 2} {
		t.Run(fmt.Sprint(refusals), func(t *testing.T) {
			db := chartWorld(t)
			slack := slacktest.New()
			defer slack.Close()
			for i := 0; i < refusals; i++ {
				slack.ErrorNext("invalid_blocks")
			}
			clock := &fakeClock{t: now}
			if out, errOut, code := runSlack(t, db, slack, clock, "run", "digest", "--shop", "s1"); code != 0 {
				t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
			}
			posts := slack.Posts()
			if len(posts) != 1 {
				t.Fatalf("%d posts, want 1", len(posts))
			}
			shown := len(imageFiles(t, posts[0])) == 1
			if shown != (refusals == 1) || !strings.Contains(posts[0].Text, "Week: ") {
				t.Errorf("after %d refusals the image is shown: %v", refusals, shown)
			}
		})
	}
}
