package storage

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Outcomes a follow-up closes with.
var Outcomes = []string{"refund", "resend", "compensate", "gift", "explained", "no_action"}

// Change says who changes a follow-up, when, and why.
type Change struct {
	Actor string
	At    time.Time
	Note  string
}

// ReviewEvent is one entry of a follow-up's history.
type ReviewEvent struct {
	ID       int64
	ReviewPK int64
	At       time.Time
	Actor    string
	// Action is assigned, closed, reopened or auto-assigned; Detail holds
	// the owner, or the outcome and note.
	Action string
	Detail string
}

// FindReview returns a review by the ID it was imported with. shopID narrows
// the search to one shop; empty searches all shops, and an ID that two shops
// share is ECONFLICT so that nobody closes the wrong shop's review.
func (db *DB) FindReview(ctx context.Context, shopID, reviewID string) (*Review, error) {
	return db.FindReviewIn(ctx, AllShops, shopID, reviewID)
}

// FindReviewIn is FindReview among the shops the scope may see. A review
// of another workspace's shop is ENOTFOUND, as if it did not exist, and it
// never makes an ID ambiguous: the ECONFLICT names shops, and those must be
// the asker's own.
//
// The ID is matched without regard to ASCII case: people type r3496 for
// R3496, and 抖店's IDs are digits anyway. lower() on both sides is what
// idx_reviews_review_id_lower indexes, so the lookup stays an index search
// however many reviews there are. Where the case-blind match finds several
// and some are spelled exactly as typed, those win: a shop may hold both
// "Ab1" and "aB1" (the unique key is case-sensitive), and the person who
// typed one of them exactly means that one.
func (db *DB) FindReviewIn(ctx context.Context, sc Scope, shopID, reviewID string) (*Review, error) {
	var rows []Review
	if err := reviewsByID(db.gdb.WithContext(ctx), sc, shopID, reviewID).Find(&rows).Error; err != nil {
		return nil, err
	}
	sort.Slice(rows, func(i, j int) bool {
		if rows[i].ShopID != rows[j].ShopID {
			return rows[i].ShopID < rows[j].ShopID
		}
		return rows[i].ReviewID < rows[j].ReviewID
	})
	var exact []Review
	for _, r := range rows {
		if r.ReviewID == reviewID {
			exact = append(exact, r)
		}
	}
	if len(exact) > 0 {
		rows = exact
	}
	switch len(rows) {
	case 0:
		return nil, Errorf(ENOTFOUND, "no review %q", reviewID)
	case 1:
		return &rows[0], nil
	}
	e := &SharedReviewError{ReviewID: reviewID}
	for i, r := range rows {
		if i == maxSharedReview {
			e.More = true
			break
		}
		e.In = append(e.In, ReviewRef{ShopID: r.ShopID, ReviewID: r.ReviewID})
	}
	return nil, e
}

// reviewsByID is FindReviewIn's query, apart so that a test can check
// its plan.
func reviewsByID(q *gorm.DB, sc Scope, shopID, reviewID string) *gorm.DB {
	cond, args := sc.where("shop_id")
	q = q.Where("lower(review_id) = lower(?)", reviewID).Where(cond, args...)
	if shopID != "" {
		q = q.Where("shop_id = ?", shopID)
	}
	// No ORDER BY: an order on (shop_id, review_id) tempts the planner to
	// walk a shop's whole unique index for it; the few rows are sorted after.
	return q.Limit(maxSharedReview + 1)
}

// maxSharedReview is how many of the shops that share a review ID an
// ECONFLICT names: enough for any real case, and a bound on the query.
const maxSharedReview = 10

// ReviewRef names one review exactly: its shop and its ID as stored.
type ReviewRef struct {
	ShopID   string
	ReviewID string
}

// SharedReviewError is the ECONFLICT of a review ID that several of the
// asker's shops hold (or one shop in two spellings of case). It names each
// one, so that the chat surface can answer with the exact form to type
// (dy-kids/R100) in the asker's language rather than a bare "name the
// shop"; ErrorCode sees ECONFLICT through Unwrap.
type SharedReviewError struct {
	// ReviewID is the ID as it was asked for.
	ReviewID string
	// In are the reviews it matches, by shop ID then review ID.
	In []ReviewRef
	// More is set when more reviews match than In names.
	More bool
}

func (e *SharedReviewError) Error() string {
	shops := make([]string, len(e.In))
	for i, r := range e.In {
		shops[i] = r.ShopID
	}
	return fmt.Sprintf("review %q exists in shops %s; name the shop as SHOP/%s", e.ReviewID, strings.Join(shops, ", "), e.ReviewID)
}

// Unwrap makes the error an ECONFLICT for ErrorCode and ErrorMessage.
func (e *SharedReviewError) Unwrap() error { return &Error{Code: ECONFLICT, Message: e.Error()} }

// change runs fn on an open bad review inside a transaction and records
// the event; a review that is not a bad one is ENOTFOUND. then, when set,
// runs last in the same transaction with the review as it was before fn
// and the event as recorded.
func (db *DB) change(ctx context.Context, id int64, by Change, action, detail string, fn func(tx *gorm.DB, r *Review) error, then func(tx *gorm.DB, before *Review, ev *ReviewEvent) error) error {
	return db.gdb.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var r Review
		err := tx.Where("id = ? AND rating <= ?", id, BadRating).Take(&r).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return Errorf(ENOTFOUND, "no bad review with id %d", id)
		}
		if err != nil {
			return err
		}
		before := r
		if err := fn(tx, &r); err != nil {
			return err
		}
		ev := ReviewEvent{ReviewPK: id, At: utc(by.At), Actor: by.Actor, Action: action, Detail: detail}
		if err := tx.Create(&ev).Error; err != nil {
			return err
		}
		if then != nil {
			return then(tx, &before, &ev)
		}
		return nil
	})
}

// AssignReview makes owner responsible for a bad review's follow-up; it
// also reassigns. A closed follow-up is ECONFLICT: reopen it first.
func (db *DB) AssignReview(ctx context.Context, id int64, owner string, by Change) error {
	_, err := db.Reassign(ctx, id, owner, by, nil)
	return err
}

// Reassign is AssignReview that returns who owned the follow-up before
// ("" for nobody), read in the assignment's own transaction, so that of two
// people claiming a review at once the second learns it was the first's.
//
// When tell is set and returns a message for the previous owner, that
// message is enqueued in the same transaction: the previous owner hears of
// a change that happened, once, even if the process stops right after. A
// message without a Key is keyed by its Kind, its shop and the history
// event it tells of ("handover:dy-fashion:1234"), unique to this change.
func (db *DB) Reassign(ctx context.Context, id int64, owner string, by Change, tell func(previous string) *OutboxMessage) (string, error) {
	var previous string
	err := db.change(ctx, id, by, "assigned", owner, func(tx *gorm.DB, r *Review) error {
		if r.Status != StatusOpen {
			return Errorf(ECONFLICT, "review %s is closed", r.ReviewID)
		}
		// A new owner gets a fresh reminder when it is overdue.
		return tx.Model(&Review{}).Where("id = ?", id).Updates(map[string]any{"owner": owner, "reminded_at": nil}).Error
	}, func(tx *gorm.DB, before *Review, ev *ReviewEvent) error {
		previous = before.Owner
		if tell == nil {
			return nil
		}
		m := tell(previous)
		if m == nil {
			return nil
		}
		if m.Key == "" {
			m.Key = OutboxKey(m.Kind, m.ShopID, strconv.FormatInt(ev.ID, 10))
		}
		_, err := enqueue(tx, m, by.At)
		return err
	})
	if err != nil {
		return "", err
	}
	return previous, nil
}

// CloseReview closes an open follow-up with an outcome and a note. A
// follow-up that is already closed is left exactly as it was and reported
// as ECONFLICT.
func (db *DB) CloseReview(ctx context.Context, id int64, outcome string, by Change) error {
	detail := outcome
	if by.Note != "" {
		detail += ": " + by.Note
	}
	return db.change(ctx, id, by, "closed", detail, func(tx *gorm.DB, r *Review) error {
		if r.Status != StatusOpen {
			return Errorf(ECONFLICT, "review %s is already closed", r.ReviewID)
		}
		return tx.Model(&Review{}).Where("id = ?", id).Updates(map[string]any{
			"status": StatusDone, "outcome": outcome, "note": by.Note, "closed_at": utc(by.At),
		}).Error
	}, nil)
}

// ReopenReview opens a closed follow-up again, keeping its owner, with a
// new deadline from the reopening; an open one is ECONFLICT.
func (db *DB) ReopenReview(ctx context.Context, id int64, by Change) error {
	return db.change(ctx, id, by, "reopened", by.Note, func(tx *gorm.DB, r *Review) error {
		if r.Status == StatusOpen {
			return Errorf(ECONFLICT, "review %s is open", r.ReviewID)
		}
		return tx.Model(&Review{}).Where("id = ?", id).Updates(map[string]any{
			"status": StatusOpen, "outcome": "", "closed_at": nil, "reminded_at": nil, "escalated_at": nil,
			"opened_at": utc(by.At), // a new deadline, from now
		}).Error
	}, nil)
}

// ReviewHistory returns a review's history, oldest first.
func (db *DB) ReviewHistory(ctx context.Context, id int64) ([]ReviewEvent, error) {
	var evs []ReviewEvent
	err := db.gdb.WithContext(ctx).Where("review_pk = ?", id).Order("id").Find(&evs).Error
	return evs, err
}

// OwnerDefault is the aspect key of a shop's default rota: it takes the bad
// reviews no aspect owner does, in turn.
const OwnerDefault = "default"

// ShopOwner routes a shop's bad reviews of one aspect to people.
type ShopOwner struct {
	ShopID string
	Aspect string
	Users  string // comma-separated; more than one only for the default rota
	Next   int    // the rota's next turn
}

// SetOwner routes a shop's bad reviews of an aspect (or OwnerDefault) to
// users; no users removes the rule.
func (db *DB) SetOwner(ctx context.Context, shopID, aspect string, users []string) error {
	if _, err := db.FindShop(ctx, shopID); err != nil {
		return err
	}
	if !validAspect(aspect) && aspect != OwnerDefault {
		return Errorf(EINVALID, "%q is not an aspect", aspect)
	}
	if len(users) > 1 && aspect != OwnerDefault {
		return Errorf(EINVALID, "an aspect has one owner; a rota of several is for %s", OwnerDefault)
	}
	q := db.gdb.WithContext(ctx)
	if len(users) == 0 {
		return q.Where("shop_id = ? AND aspect = ?", shopID, aspect).Delete(&ShopOwner{}).Error
	}
	return q.Exec(`INSERT INTO shop_owners (shop_id, aspect, users, next) VALUES (?, ?, ?, 0)
		ON CONFLICT (shop_id, aspect) DO UPDATE SET users = excluded.users, next = 0`, shopID, aspect, strings.Join(users, ",")).Error
}

// Owners returns a shop's routing rules.
func (db *DB) Owners(ctx context.Context, shopID string) ([]ShopOwner, error) {
	var rows []ShopOwner
	err := db.gdb.WithContext(ctx).Where("shop_id = ?", shopID).Order("aspect").Find(&rows).Error
	return rows, err
}

// OwnerOf returns the person an aspect is routed to, or "".
func (db *DB) OwnerOf(ctx context.Context, shopID, aspect string) (string, error) {
	var rows []ShopOwner
	if err := db.gdb.WithContext(ctx).Where("shop_id = ? AND aspect = ?", shopID, aspect).Limit(1).Find(&rows).Error; err != nil || len(rows) == 0 {
		return "", err
	}
	return strings.Split(rows[0].Users, ",")[0], nil
}

func validAspect(a string) bool {
	for _, x := range Aspects {
		if string(x) == a {
			return true
		}
	}
	return false
}

// autoAssign gives each unassigned, open bad review of the shops with an
// id above after (the rows an import just added) an owner by the shops'
// rules: the owner of its first routed aspect, else the default rota in
// turn. It runs inside the import's transaction, and records each
// assignment in the history. Two imports reading one shop's rota at once
// (replicas on PostgreSQL) would hand the same turn out twice: the shop's
// rota is locked (lockName) until the transaction that moves it ends.
func autoAssign(ctx context.Context, d dialect, tx *gorm.DB, after int64, now time.Time) error {
	var fresh []Review
	if err := tx.WithContext(ctx).Where("id > ? AND status = ? AND owner = ''", after, StatusOpen).Order("id").Find(&fresh).Error; err != nil || len(fresh) == 0 {
		return err
	}
	rules := map[string]map[string]*ShopOwner{}
	for _, r := range fresh {
		if _, ok := rules[r.ShopID]; ok {
			continue
		}
		if err := d.lockName(tx, "rota."+r.ShopID); err != nil {
			return err
		}
		var rows []ShopOwner
		if err := tx.Where("shop_id = ?", r.ShopID).Find(&rows).Error; err != nil {
			return err
		}
		m := map[string]*ShopOwner{}
		for i := range rows {
			m[rows[i].Aspect] = &rows[i]
		}
		rules[r.ShopID] = m
	}
	for _, r := range fresh {
		m := rules[r.ShopID]
		owner := ""
		for _, a := range r.AspectList() {
			if o, ok := m[string(a)]; ok {
				owner = strings.Split(o.Users, ",")[0]
				break
			}
		}
		if owner == "" {
			if rota, ok := m[OwnerDefault]; ok {
				users := strings.Split(rota.Users, ",")
				owner = users[rota.Next%len(users)]
				rota.Next = (rota.Next + 1) % len(users)
			}
		}
		if owner == "" {
			continue
		}
		if err := tx.Model(&Review{}).Where("id = ?", r.ID).Update("owner", owner).Error; err != nil {
			return err
		}
		if err := tx.Create(&ReviewEvent{ReviewPK: r.ID, At: utc(now), Actor: "dsrbot", Action: "auto-assigned", Detail: owner}).Error; err != nil {
			return err
		}
	}
	for _, m := range rules {
		if rota, ok := m[OwnerDefault]; ok {
			if err := tx.Model(&ShopOwner{}).Where("shop_id = ? AND aspect = ?", rota.ShopID, OwnerDefault).Update("next", rota.Next).Error; err != nil {
				return err
			}
		}
	}
	return nil
}

// Mine returns a person's open follow-ups across all shops, oldest first
// (the most overdue on top), cut at limit, and how many there are.
func (db *DB) Mine(ctx context.Context, owner string, limit int) ([]Review, int, error) {
	return db.MineIn(ctx, AllShops, owner, limit)
}

// MineIn is Mine among the shops the scope may see: a person of one
// workspace may own follow-ups of another's shop (a shared channel), and
// asking from one workspace must not list the other's.
func (db *DB) MineIn(ctx context.Context, sc Scope, owner string, limit int) ([]Review, int, error) {
	cond, args := sc.where("shop_id")
	q := db.gdb.WithContext(ctx).Model(&Review{}).Where("owner = ? AND status = ?", owner, StatusOpen).Where(cond, args...).Session(&gorm.Session{})
	var n int64
	if err := q.Count(&n).Error; err != nil {
		return nil, 0, err
	}
	var rows []Review
	err := q.Order("created_at, id").Limit(limit).Find(&rows).Error
	return rows, int(n), err
}
