package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestConfigLang: DSRBOT_LANG is en or zh, English by default; anything
// else stops the program at start with the variable named, rather than
// giving a Chinese team English answers with nothing to say why.
func TestConfigLang(t *testing.T) {
	for _, tt := range []struct {
		value, want string
		ok          bool
	}{
		{"", "en", true},
		{"en", "en", true},
		{"zh", "zh", true},
		{"zh-CN", "", false},
		{"cn", "", false},
		{"ZH", "", false},
		{"chinese", "", false},
	} {
		c, err := ConfigFromEnv(func(k string) string {
			if k == "DSRBOT_LANG" {
				return tt.value
			}
			return ""
		})
		switch {
		case tt.ok && (err != nil || c.Lang != tt.want):
			t.Errorf("DSRBOT_LANG=%q: lang %q, err %v; want %q", tt.value, c.Lang, err, tt.want)
		case !tt.ok && (err == nil || !strings.Contains(err.Error(), "DSRBOT_LANG") || !strings.Contains(err.Error(), "en or zh")):
			t.Errorf("DSRBOT_LANG=%q: err %v, want a refusal naming DSRBOT_LANG and en or zh", tt.value, err)
		}
	}
}

// TestShellSpeaksTheWorkspaceLanguage: with DSRBOT_LANG=zh the answers no
// one shop's language decides (the all-shops view, help, a mistake outside
// a shop's channel) are Chinese; a shop's own card keeps the shop's
// language.
func TestShellSpeaksTheWorkspaceLanguage(t *testing.T) {
	db := filepath.Join(t.TempDir(), "dsrbot.db")
	env := map[string]string{"DSRBOT_DB": db, "USER": "alice", "DSRBOT_LANG": "zh"}
	var out, errOut bytes.Buffer
	m := &Main{
		Getenv: func(k string) string { return env[k] },
		Stdin:  strings.NewReader("/dsr today\n/dsr today dy-fashion\n/dsr today nope\nhello\n/dsr help\n"),
		Stdout: &out,
		Stderr: &errOut,
		Now:    func() time.Time { return now },
	}
	err := m.Run(context.Background(), nil)
	if cerr := m.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatalf("%v\n%s", err, errOut.String())
	}
	for _, want := range []string{
		"全部店铺 · 2026-11-24",
		"4 家中 1 家低于 精选联盟 70",
		"潮衣馆 Trend Closet · dy-fashion · Douyin · 2026-11-24", // an English shop
		`没有店铺 "nope"。现有店铺：dy-beauty、dy-fashion、dy-home、tb-tea。`,
		"命令以 /dsr 或 @dsrbot 开头",
		"/dsr today [店铺ID]",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("shell output lacks %q:\n%s", want, out.String())
		}
	}
	for _, notWant := range []string{"All shops", "There is no shop", "Commands start with"} {
		if strings.Contains(out.String(), notWant) {
			t.Errorf("shell output has %q", notWant)
		}
	}
}
