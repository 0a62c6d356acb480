package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestReadmeWalkthrough runs the README's "Other lines to try" in the local
// shell against a fresh demo, at several hours of several days: the review
// the walkthrough names must be there, bad and open, on any fresh clone.
func TestReadmeWalkthrough(t *testing.T) {
	// The walkthrough's /dsr chart writes a PNG where the shell writes
	// images (the temporary directory): this test's own.
	t.Setenv("TMPDIR", t.TempDir())
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	para := regexp.MustCompile(`(?s)Other lines to try: (.*?)\. Ctrl-D`).FindSubmatch(readme)
	if para == nil {
		t.Fatal(`the README has no "Other lines to try" paragraph`)
	}
	var lines []string
	for _, m := range regexp.MustCompile("`([^`]+)`").FindAllSubmatch(para[1], -1) {
		lines = append(lines, string(m[1]))
	}
	if len(lines) < 5 {
		t.Fatalf("found only %q in the walkthrough", lines)
	}
	failures := []string{"There is no review", "There is no shop", "I don't know", "Usage:", "Something went wrong", "没有评价", "不认识命令", "系统出错"}
	for _, now := range []time.Time{
		time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC),
		time.Date(2027, 2, 3, 23, 30, 0, 0, time.UTC),
	} {
		db := filepath.Join(t.TempDir(), "dsrbot.db")
		var out, errOut bytes.Buffer
		m := &Main{
			Getenv: func(k string) string { return map[string]string{"DSRBOT_DB": db, "USER": "alice"}[k] },
			Stdin:  strings.NewReader(strings.Join(lines, "\n") + "\n"),
			Stdout: &out, Stderr: &errOut,
			Now: func() time.Time { return now },
		}
		if err := m.Run(context.Background(), nil); err != nil {
			t.Fatalf("%v: %v\n%s", now, err, errOut.String())
		}
		m.Close()
		answers := strings.Split(out.String(), "\n\n")
		text := out.String()
		for _, f := range failures {
			if strings.Contains(text, f) {
				t.Errorf("%v: a walkthrough line failed (%q):\n%s", now, f, text)
			}
		}
		for _, want := range []string{"alice", "R3538", "退款"} {
			if !strings.Contains(text, want) {
				t.Errorf("%v: the walkthrough never says %q:\n%s", now, want, text)
			}
		}
		if len(answers) < len(lines) {
			t.Errorf("%v: %d answers to %d lines", now, len(answers), len(lines))
		}
	}
}
