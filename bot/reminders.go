package bot

import (
	"sort"
	"strings"
	"time"

	"github.com/dsrbot/dsrbot/storage"
)

// RenderReminder is the direct message to an owner whose follow-up is
// overdue, with the review's buttons.
func RenderReminder(shop *storage.Shop, rv *storage.Review, now time.Time) Message {
	l := langOf(shop)
	due := rv.Due(shop)
	s := section{
		lines: []line{
			{txt(l.t("remind.intro", shop.Name, shop.ID))},
			reviewLine(l, rv, now, true),
			{txt(dueLine(l, now, due))},
		},
	}
	s.actions = []*actions{nil, openActions(l, rv), nil}
	return (&doc{lang: l, title: l.t("remind.title", rv.ReviewID), sections: []section{s}, footer: l.t("remind.footer", rv.ReviewID)}).message()
}

// RenderFollowUps is the channel's hourly word on follow-ups: those past
// twice their deadline, with their owners mentioned, and bad reviews that
// nobody owns yet.
func RenderFollowUps(r *storage.ReminderReport) Message {
	l := langOf(&r.Shop)
	d := &doc{lang: l, title: l.t("followups.title", r.Shop.Name, r.Shop.ID)}
	if len(r.Escalate) > 0 {
		s := section{heading: l.t("followups.escalate", len(r.Escalate), 2*int(r.Shop.FollowUpDeadline().Hours()))}
		for i := range r.Escalate {
			s.lines = append(s.lines, reviewLine(l, &r.Escalate[i], r.Now, false))
		}
		d.sections = append(d.sections, s)
	}
	if len(r.Unassigned) > 0 {
		s := section{heading: l.t("followups.unassigned", len(r.Unassigned))}
		for i := range r.Unassigned {
			s.lines = append(s.lines, reviewLine(l, &r.Unassigned[i], r.Now, true))
			s.actions = append(s.actions, openActions(l, &r.Unassigned[i]))
		}
		d.sections = append(d.sections, s)
	}
	d.footer = l.t("followups.footer")
	return d.message()
}

// RenderCluster is the alert for several bad reviews on one product about
// one aspect. It ends with the fix that aspect calls for (the size chart for
// size, the carrier for logistics), because the person it is routed to acts
// on it that day.
func RenderCluster(shop *storage.Shop, c *storage.Cluster, now time.Time) Message {
	l := langOf(shop)
	s := section{heading: l.t("cluster.heading", len(c.Reviews), c.Product, l.t("aspect."+string(c.Aspect)), int(storage.ClusterWindow.Hours()))}
	for i := range c.Reviews {
		s.lines = append(s.lines, reviewLine(l, &c.Reviews[i], now, true))
		s.actions = append(s.actions, openActions(l, &c.Reviews[i]))
	}
	return (&doc{lang: l, title: l.t("cluster.title", shop.Name, shop.ID), sections: []section{s}, footer: l.t("cluster.advice." + string(c.Aspect))}).message()
}

// statsLine sums up the follow-ups closed in the last week: "12 closed in 7
// days: 5 refund, 4 resend, 3 gift; median 6h to close".
func statsLine(l lang, st *storage.OutcomeStats) string {
	if st == nil || st.Closed == 0 {
		return l.t("stats.none")
	}
	keys := make([]string, 0, len(st.ByOutcome))
	for k := range st.ByOutcome {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if st.ByOutcome[keys[i]] != st.ByOutcome[keys[j]] {
			return st.ByOutcome[keys[i]] > st.ByOutcome[keys[j]]
		}
		return keys[i] < keys[j]
	})
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = l.t("stats.part", st.ByOutcome[k], l.t("outcome."+k))
	}
	return l.t("stats.line", st.Closed, strings.Join(parts, l.t("list.sep")), compact(l, st.MedianToClose))
}
