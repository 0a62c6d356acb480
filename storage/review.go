package storage

import (
	"context"
	"strings"
	"time"
)

// Follow-up states of a bad review. Reviews rated 3-5 have no follow-up and
// an empty status.
const (
	StatusOpen = "open"
	StatusDone = "done"
)

// BadRating is the highest rating that counts as a bad review (差评).
const BadRating = 2

// Review is one buyer review, and for a bad one its follow-up: who owns it,
// whether it is closed, and how.
type Review struct {
	ID        int64
	ShopID    string
	ReviewID  string
	OrderID   string
	ProductID string
	Product   string
	Rating    int
	// Grade is set when the export gave a grade (差评 / 中评 / 好评) but no
	// stars: Rating then holds the grade's highest star count, so a bad
	// review is counted and routed as bad, and messages show the grade
	// where the stars would go.
	Grade     Grade
	CreatedAt time.Time
	// OpenedAt is when the follow-up last opened: the review's arrival, or
	// its latest reopening. Its deadline runs from here.
	OpenedAt time.Time
	Content  string
	// Aspects is the stored, comma-separated form of AspectList.
	Aspects  string
	Owner    string // Slack user ID or name; "" is unassigned
	Status   string
	Outcome  string
	Note     string
	ClosedAt *time.Time
	// ReportedAt is when a digest first announced the review.
	ReportedAt *time.Time
}

// Grade is a review's grade where the stars are unknown.
type Grade string

// The grades a review export may give instead of stars.
const (
	GradeBad     Grade = "bad"     // 差评: 1-2★
	GradeNeutral Grade = "neutral" // 中评: 3★
	GradeGood    Grade = "good"    // 好评: 4-5★
)

// ParseGrade reads a grade as exports write it; ok is false for anything
// else.
func ParseGrade(s string) (g Grade, rating int, ok bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "差评", "bad":
		return GradeBad, BadRating, true
	case "中评", "neutral":
		return GradeNeutral, 3, true
	case "好评", "good":
		return GradeGood, 5, true
	}
	return "", 0, false
}

// Due is when the review's follow-up is due at the shop's deadline.
func (r *Review) Due(shop *Shop) time.Time {
	from := r.OpenedAt
	if from.IsZero() {
		from = r.CreatedAt
	}
	return from.Add(shop.FollowUpDeadline())
}

// Bad reports whether the review is a 差评 (rating 1 or 2).
func (r *Review) Bad() bool { return r.Rating <= BadRating }

// AspectList returns the review's aspects in display order.
func (r *Review) AspectList() []Aspect {
	if r.Aspects == "" {
		return nil
	}
	parts := strings.Split(r.Aspects, ",")
	out := make([]Aspect, len(parts))
	for i, p := range parts {
		out[i] = Aspect(p)
	}
	return out
}

// ReviewFilter selects bad reviews of a shop.
type ReviewFilter struct {
	ShopID string
	// OpenOnly keeps follow-ups that are not closed.
	OpenOnly bool
	// Owner, when set, keeps one person's follow-ups.
	Owner string
	// Since, when set, keeps reviews created at or after it.
	Since time.Time
	// Limit cuts the list; 0 lists all, and a negative limit only counts.
	Limit int
}

// BadReviews returns a shop's bad reviews matching f, newest first, and how
// many match in all (the list is cut at f.Limit).
func (db *DB) BadReviews(ctx context.Context, f ReviewFilter) ([]Review, int, error) {
	q := db.gdb.WithContext(ctx).Model(&Review{}).Where("shop_id = ? AND "+badRatingSQL, f.ShopID)
	if f.OpenOnly {
		q = q.Where("status = ?", StatusOpen)
	}
	if f.Owner != "" {
		q = q.Where("owner = ?", f.Owner)
	}
	if !f.Since.IsZero() {
		q = q.Where("created_at >= ?", utc(f.Since))
	}
	if f.Limit < 0 {
		var total int64
		err := q.Count(&total).Error
		return nil, int(total), err
	}
	return counted[Review](db.d, q, "created_at DESC, id DESC", f.Limit)
}
