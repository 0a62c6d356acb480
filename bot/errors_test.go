package bot

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/dsrbot/dsrbot/storage"
)

// TestExplain: every kind of error is said once, in the reader's language;
// storage's own (English) message never reaches the reader, and only a
// failure of ours is logged as one.
func TestExplain(t *testing.T) {
	english := "channel C1 speaks for a shop this Slack workspace does not own"
	tests := []struct {
		name   string
		err    error
		want   [2]string // en, zh
		failed bool      // logged as a failure of ours
	}{
		{"usage", &parseError{key: "err.usage", args: []any{usage[verbBind]}, verb: verbBind},
			[2]string{en.t("err.usage", en.t("usage.bind")), zh.t("err.usage", zh.t("usage.bind"))}, false},
		{"shops listed", &parseError{key: "err.noshop", args: []any{`"x"`, []string{"a", "b"}}},
			[2]string{en.t("err.noshop", `"x"`, "a, b"), zh.t("err.noshop", `"x"`, "a、b")}, false},
		{"user", &userError{"as it is"}, [2]string{"as it is", "as it is"}, false},
		{"not found", storage.Errorf(storage.ENOTFOUND, "no shop x"), [2]string{en.t("err.notfound"), zh.t("err.notfound")}, false},
		{"invalid", storage.Errorf(storage.EINVALID, "an aspect has one owner"), [2]string{en.t("err.invalid"), zh.t("err.invalid")}, false},
		{"conflict", storage.Errorf(storage.ECONFLICT, "%s", english), [2]string{en.t("err.conflict"), zh.t("err.conflict")}, false},
		{"wrapped conflict", fmt.Errorf("bind: %w", storage.Errorf(storage.ECONFLICT, "%s", english)), [2]string{en.t("err.conflict"), zh.t("err.conflict")}, false},
		{"unauthorized", storage.Errorf(storage.EUNAUTHORIZED, "shop x belongs to another Slack workspace"), [2]string{en.t("err.unauthorized"), zh.t("err.unauthorized")}, false},
		{"storage internal", storage.Errorf(storage.EINTERNAL, "disk on fire"), [2]string{en.t("err.internal"), zh.t("err.internal")}, true},
		{"not storage's", errors.New("database is closed"), [2]string{en.t("err.internal"), zh.t("err.internal")}, true},
	}
	for _, tt := range tests {
		for _, l := range []lang{en, zh} {
			t.Run(fmt.Sprintf("%s/%d", tt.name, l), func(t *testing.T) {
				var log bytes.Buffer
				b := &Bot{Log: slog.New(slog.NewTextHandler(&log, nil))}
				got := b.explain(context.Background(), l, Request{Text: "x", User: "U1"}, tt.err)
				if got != tt.want[l] {
					t.Errorf("explain = %q, want %q", got, tt.want[l])
				}
				if strings.Contains(got, english) {
					t.Errorf("storage's message reached the reader: %q", got)
				}
				if failed := strings.Contains(log.String(), "command failed"); failed != tt.failed {
					t.Errorf("logged as a failure: %v, want %v:\n%s", failed, tt.failed, log.String())
				}
				var se *storage.Error
				if errors.As(tt.err, &se) && !strings.Contains(log.String(), se.Message) {
					t.Errorf("the log lacks storage's message %q:\n%s", se.Message, log.String())
				}
			})
		}
	}
}

// refusingStore is the demo's store, except that the calls a test names
// refuse with storage's own English message, as storage does when a
// change races another (a shop removed, a value another replica wrote).
type refusingStore struct {
	Store
	err error
}

func (s refusingStore) SetDigestCron(ctx context.Context, shopID, spec string) (*storage.Shop, error) {
	return nil, s.err
}

func (s refusingStore) SetOwner(ctx context.Context, shopID, aspect string, users []string) error {
	return s.err
}

// TestStoreRefusalInShopsLanguage: a refusal of the store that no handler
// has a sentence of its own for is said in the shop's language, with the
// catalogue's sentence for its code; it used to be answered as a failure
// of ours, and storage's English message must never reach a Chinese shop.
func TestStoreRefusalInShopsLanguage(t *testing.T) {
	d := newDemoBot(t)
	ctx := context.Background()
	if _, err := d.db.UpdateShop(ctx, "dy-fashion", func(s *storage.Shop) { s.Lang = storage.LangChinese }); err != nil {
		t.Fatal(err)
	}
	if _, err := d.db.BindChannel(ctx, "dy-fashion", "C0FASHION"); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		text string
		err  *storage.Error
		key  string
	}{
		{"schedule 0 8 * * *", storage.Errorf(storage.ECONFLICT, "shop dy-fashion was changed by another replica"), "err.conflict"},
		{"定时 0 8 * * *", storage.Errorf(storage.ENOTFOUND, "no shop %q", "dy-fashion"), "err.notfound"},
		{"owner size @alice", storage.Errorf(storage.EINVALID, "an aspect has one owner; a rota of several is for default"), "err.invalid"},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			d.log.Reset()
			d.Store = refusingStore{Store: d.db, err: tt.err}
			m := d.Handle(ctx, Request{Text: tt.text, User: "U0ALICE01", Channel: "C0FASHION", Team: demoTeam})
			if want := zh.t(tt.key) + "\n"; m.Text != want {
				t.Errorf("answered %q, want %q", m.Text, want)
			}
			if strings.Contains(m.Text, tt.err.Message) || !hasHan(m.Text) {
				t.Errorf("the answer is not the shop's language: %q", m.Text)
			}
			log := d.log.String()
			if !strings.Contains(log, "command refused") || !strings.Contains(log, "code="+tt.err.Code) {
				t.Errorf("the log lacks the refusal and its code:\n%s", log)
			}
			if strings.Contains(log, "command failed") {
				t.Errorf("a refusal was logged as a failure:\n%s", log)
			}
		})
	}
}
