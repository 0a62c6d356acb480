package main

import (
	"testing"

	"github.com/dsrbot/dsrbot/bot/slack"
)

// TestNoPosterIsOnlyAPoster: without a bot token the server's Poster must
// not offer views, chat.update or uploads, which Slack refuses without a
// token while the person sees nothing; the server then answers Resolve
// with the outcome select through the response_url.
func TestNoPosterIsOnlyAPoster(t *testing.T) {
	var p slack.Poster = noPoster{client: slack.NewClient("", "http://127.0.0.1:1/api/", nil, nil)}
	if _, ok := p.(slack.Viewer); ok {
		t.Error("noPoster is a slack.Viewer: the server would open views without a token")
	}
	if _, ok := p.(slack.Uploader); ok {
		t.Error("noPoster is a slack.Uploader: the server would upload without a token")
	}
}
