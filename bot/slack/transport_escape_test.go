package slack_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// trHostileContent and trHostileProduct are a buyer's review and a
// product name as an attacker would write them: a ping of the channel and
// a link disguised as a refund offer.
const (
	trHostileContent = "<!channel> 太差了 尺码 <https://evil.example|点我退款> <#C123> <@U999HACK>"
	trHostileProduct = "<!here> 连衣裙"
)

// trMarkup is markup Slack would act on: a ping, a channel link, a link,
// or a mention of anyone but the real people of these tests.
var trMarkup = regexp.MustCompile(`<[!#]|<https?:|<mailto:|<@U999HACK`)

// importHostileReview adds a new open bad review of dy-fashion with the
// hostile product and content, as an import of the shop's export would.
func (e *trEnv) importHostileReview(id string) {
	e.t.Helper()
	e.importReview("dy-fashion", id, trHostileProduct, trHostileContent)
}

// checkSlackFields asserts that what Slack received (a text and blocks)
// carries the hostile strings escaped and never as markup.
func checkSlackFields(t *testing.T, where, text string, blocks json.RawMessage) {
	t.Helper()
	for field, s := range map[string]string{"text": text, "blocks": trStrings(blocks)} {
		if m := trMarkup.FindString(s); m != "" {
			t.Errorf("%s: the %s carries markup %q:\n%s", where, field, m, s)
		}
		if !strings.Contains(s, "&lt;!here&gt; 连衣裙") {
			t.Errorf("%s: the %s lacks the product, escaped:\n%s", where, field, s)
		}
	}
}

// TestTransportUntrustedTextIsEscapedInEveryField: a buyer's review that
// tries to ping the channel reaches Slack escaped in every field of every
// way the bot answers: the slash command's HTTP answer, the post answering
// a mention, and the response_url reply after a button.
func TestTransportUntrustedTextIsEscapedInEveryField(t *testing.T) {
	e := trNewEnv(t)
	e.importHostileReview("R990001")

	r := e.slash("reviews dy-fashion", trAlice, "C1", e.fake.ResponseURL("reviews"))
	blocks, _ := json.Marshal(r.Blocks)
	checkSlackFields(t, "slash answer", r.Text, blocks)
	if !strings.Contains(r.Text, "&lt;!channel&gt; 太差了") {
		t.Errorf("slash answer: the review's words are not shown escaped:\n%s", r.Text)
	}

	if code, _, _ := e.do(e.request("/slack/events", trJSONType, trMention("EvEsc", trAlice, "", "<@UBOT> reviews dy-fashion", "1764000000.000100", ""))); code != http.StatusOK {
		t.Fatalf("event: %d", code)
	}
	posts := e.fake.WaitPosts(1, trWait)
	e.srv.Wait()
	if len(posts) != 1 {
		t.Fatalf("%d posts, want 1", len(posts))
	}
	checkSlackFields(t, "mention post", posts[0].Text, posts[0].Blocks)

	claim := trAction(trBo, e.fake.ResponseURL("claim"), trClaim("dy-fashion", "R990001", "shop"))
	if code, _, _ := e.do(e.request("/slack/interactions", trFormType, claim)); code != http.StatusOK {
		t.Fatalf("interaction: %d", code)
	}
	e.srv.Wait()
	resp := e.fake.Responses()
	if len(resp) != 1 || !resp[0].ReplaceOriginal {
		t.Fatalf("responses: %+v", resp)
	}
	checkSlackFields(t, "button reply", resp[0].Text, resp[0].Blocks)
	if !strings.Contains(resp[0].Text, "<@"+trBo+">") {
		t.Errorf("button reply: the owner the bot resolved is not mentioned:\n%s", resp[0].Text)
	}
}
