package bot

import (
	"testing"

	"github.com/dsrbot/dsrbot/storage"
)

// TestClosedLine: the line that replaces a closed review's buttons names
// who closed it only when the history says, and never in English in a
// Chinese shop ("@unknown 已处理" was the line when the history failed).
func TestClosedLine(t *testing.T) {
	rv := &storage.Review{Outcome: "refund"}
	tests := []struct {
		l         lang
		who, note string
		want      string
	}{
		{en, "U0ALICE01", "", "Closed by <@U0ALICE01>: refund"},
		{en, "U0ALICE01", "called back", "Closed by <@U0ALICE01>: refund · “called back”"},
		{en, "", "", "Closed: refund"},
		{en, "", "called back", "Closed: refund · “called back”"},
		{zh, "", "", "已处理：退款"},
		{zh, "", "已回电", "已处理：退款 ·“已回电”"},
		{zh, "U0ALICE01", "", "<@U0ALICE01> 已处理：退款"},
	}
	for _, tt := range tests {
		if got := closedLine(tt.l, rv, tt.who, tt.note).render(forBlocks); got != tt.want {
			t.Errorf("%v %q %q: %q, want %q", tt.l, tt.who, tt.note, got, tt.want)
		}
	}
}
