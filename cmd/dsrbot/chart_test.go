package main

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dsrbot/dsrbot/bot/chart"
)

// decodePNG reads a PNG file and checks it is the chart's size.
func decodePNG(t *testing.T, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%s is not a PNG: %v", path, err)
	}
	if s := img.Bounds().Size(); s.X != chart.Width || s.Y != chart.Height {
		t.Errorf("%s is %v, want %dx%d", path, s, chart.Width, chart.Height)
	}
}

// `dsrbot chart` writes the shop's chart where asked, or in the current
// directory under the shell's name, and prints the path.
func TestChartCommand(t *testing.T) {
	db := chartWorld(t)
	out := filepath.Join(t.TempDir(), "trend.png")
	if got := mustRun(t, db, "chart", "s1", "--days", "90", "--out", out); strings.TrimSpace(got) != out {
		t.Fatalf("printed %q, want %s", got, out)
	}
	decodePNG(t, out)

	dir := t.TempDir()
	t.Chdir(dir)
	got := strings.TrimSpace(mustRun(t, db, "chart", "--days", "30", "s1"))
	if filepath.Dir(got) != dir || !strings.HasPrefix(filepath.Base(got), "s1-30d-2026-11-24") {
		t.Fatalf("printed %q, want s1-30d-2026-11-24….png in %s", got, dir)
	}
	decodePNG(t, got)

	// Without a shop: every shop's heat map, as /dsr chart draws it.
	got = strings.TrimSpace(mustRun(t, db, "chart", "--days", "90"))
	if filepath.Dir(got) != dir || !strings.HasPrefix(filepath.Base(got), "all-shops-90d-") {
		t.Fatalf("printed %q, want all-shops-90d-….png in %s", got, dir)
	}
	decodePNG(t, got)
}

// A wrong command line is a usage error (exit 2); an unknown shop or one
// with nothing to draw is an error (exit 1), and no file is written.
func TestChartCommandErrors(t *testing.T) {
	db := chartWorld(t)
	mustRun(t, db, "shop", "add", "s2", "--name", "Two", "--platform", "douyin")
	t.Chdir(t.TempDir())
	for _, tt := range []struct {
		args []string
		code int
		says string
	}{
		{[]string{"chart", "s1", "--days", "7"}, 2, "30 or 90, not 7"},
		{[]string{"chart", "s1", "--days", "x"}, 2, "--days"},
		{[]string{"chart", "s1", "s2"}, 2, "at most one shop ID"},
		{[]string{"chart", "nope"}, 1, "nope"},
		{[]string{"chart", "s2"}, 1, "no score in the last 30 days"},
	} {
		out, errOut, code := run(t, db, "", tt.args...)
		if code != tt.code || !strings.Contains(errOut, tt.says) || out != "" {
			t.Errorf("dsrbot %s: exit %d, stdout %q, stderr %q; want exit %d saying %q", strings.Join(tt.args, " "), code, out, errOut, tt.code, tt.says)
		}
	}
	if files, _ := filepath.Glob("*.png"); len(files) != 0 {
		t.Errorf("wrote %v", files)
	}
}
