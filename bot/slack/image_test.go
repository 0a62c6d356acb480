package slack_test

import (
	"bytes"
	"context"
	"image/png"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dsrbot/dsrbot/bot/chart"
	"github.com/dsrbot/dsrbot/bot/slack/slacktest"
)

// waitFiles waits for n completed uploads on the fake.
func waitFiles(t *testing.T, fake *slacktest.Slack, n int) []slacktest.File {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		var done []slacktest.File
		for _, f := range fake.Files() {
			if f.Complete {
				done = append(done, f)
			}
		}
		if len(done) >= n || time.Now().After(deadline) {
			return done
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestChartUploadsToChannel: /dsr chart in a shop's channel answers with
// the legend for everyone, then uploads the PNG by the three calls of
// Slack's upload flow, in order, shared to that channel.
func TestChartUploadsToChannel(t *testing.T) {
	e := trNewEnv(t)
	if _, err := e.db.BindChannel(context.Background(), "dy-fashion", "C1"); err != nil {
		t.Fatal(err)
	}
	r := e.slash("chart", "U1", "C1", "")
	if r.ResponseType != "in_channel" || !strings.Contains(r.Text, "Dashed orange lines") {
		t.Fatalf("answer %s %q", r.ResponseType, r.Text)
	}
	e.srv.Wait()
	files := waitFiles(t, e.fake, 1)
	if len(files) != 1 {
		t.Fatalf("%d files uploaded, want 1", len(files))
	}
	f := files[0]
	if f.Channel != "C1" || !strings.HasPrefix(f.Name, "dy-fashion-30d-") || f.Alt == "" {
		t.Errorf("file %+v: want shared to C1 with a name and alt text", f)
	}
	img, err := png.Decode(bytes.NewReader(f.Data))
	if err != nil {
		t.Fatalf("uploaded bytes are not a PNG: %v", err)
	}
	if s := img.Bounds().Size(); s.X != chart.Width || s.Y != chart.Height {
		t.Errorf("image %v, want %dx%d", s, chart.Width, chart.Height)
	}
	var flow []string
	for _, m := range e.fake.Order() {
		if strings.HasPrefix(m, "files.") || m == "upload" {
			flow = append(flow, m)
		}
	}
	if want := []string{"files.getUploadURLExternal", "upload", "files.completeUploadExternal"}; !slices.Equal(flow, want) {
		t.Errorf("calls %v, want %v", flow, want)
	}
}

// TestChartAllShopsGoesToDM: the heat map of every shop, asked for
// outside a shop's channel, answers only the asker, so its image goes to
// the asker's direct message, never to the channel.
func TestChartAllShopsGoesToDM(t *testing.T) {
	e := trNewEnv(t)
	r := e.slash("chart", "U0ALICE01", "C9", "")
	if r.ResponseType != "ephemeral" {
		t.Fatalf("answer %s, want ephemeral", r.ResponseType)
	}
	e.srv.Wait()
	files := waitFiles(t, e.fake, 1)
	if len(files) != 1 || files[0].Channel != "DU0ALICE01" {
		t.Fatalf("%d files, want one shared to DU0ALICE01", len(files))
	}
}
