package bot

import (
	"time"

	"github.com/dsrbot/dsrbot/storage"
)

// DigestChartDays is the period of the chart the morning digest shows.
const DigestChartDays = 30

// RenderDigestChart renders a shop's morning digest showing the chart
// uploaded to Slack as chartFile in an image block under the title; the
// rest is RenderDigest's, the week's sparkline included, so the text and
// a notification still carry the trend. An empty chartFile is the text
// digest (no upload, or a failed one).
//
// The file is referenced by its ID (slack_file) rather than shared to the
// channel by the upload: a share would be a second message outside the
// outbox, posted again by a retried upload, while the image block is part
// of the one digest the outbox posts once. Slack shows a slack_file image
// to the message's readers when the poster (the bot, its uploader) has
// access to the file.
func RenderDigestChart(r *storage.DigestReport, chartFile string, scheduled time.Time, late bool) Message {
	d := digestDoc(r, scheduled, late)
	if chartFile != "" {
		d.slackFile, d.alt = chartFile, d.lang.t("chart.digest.alt")
	}
	return d.message()
}

// ChartImage draws a shop's trend chart over its history as the PNG that
// /dsr chart shows, or nil when the period has no score to draw; the
// digest's chart (DigestChartDays) and `dsrbot chart` are drawn by it.
func ChartImage(h *storage.ChartHistory, days int) (*Image, error) {
	d, err := ShopChart(h, days)
	if err != nil || d.image == nil {
		return nil, err
	}
	img := *d.image
	return &img, nil
}
