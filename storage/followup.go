package storage

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
)

// FindReview returns a review by the ID it was imported with. shopID narrows
// the search to one shop; empty searches all shops, and an ID that two shops
// share is ECONFLICT so that nobody closes the wrong shop's review.
func (db *DB) FindReview(ctx context.Context, shopID, reviewID string) (*Review, error) {
	q := db.gdb.WithContext(ctx).Where("review_id = ?", reviewID)
	if shopID != "" {
		q = q.Where("shop_id = ?", shopID)
	}
	var rows []Review
	if err := q.Limit(2).Find(&rows).Error; err != nil {
		return nil, err
	}
	switch len(rows) {
	case 0:
		return nil, Errorf(ENOTFOUND, "no review %q", reviewID)
	case 1:
		return &rows[0], nil
	}
	return nil, Errorf(ECONFLICT, "review %q exists in shops %s and %s; name the shop", reviewID, rows[0].ShopID, rows[1].ShopID)
}

// AssignReview makes owner responsible for a bad review's follow-up.
func (db *DB) AssignReview(ctx context.Context, id int64, owner string) error {
	res := db.gdb.WithContext(ctx).Model(&Review{}).Where("id = ? AND rating <= ?", id, BadRating).Update("owner", owner)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return Errorf(ENOTFOUND, "no bad review with id %d", id)
	}
	return nil
}

// CloseReview closes an open follow-up with an outcome. A follow-up that is
// already closed is left exactly as it was and reported as ECONFLICT.
func (db *DB) CloseReview(ctx context.Context, id int64, outcome, note string, now time.Time) error {
	closed := utc(now)
	return db.gdb.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var r Review
		err := tx.Where("id = ?", id).Take(&r).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return Errorf(ENOTFOUND, "no review with id %d", id)
		}
		if err != nil {
			return err
		}
		if r.Status != StatusOpen {
			return Errorf(ECONFLICT, "review %s is already closed", r.ReviewID)
		}
		return tx.Model(&Review{}).Where("id = ?", id).Updates(map[string]any{
			"status": StatusDone, "outcome": outcome, "note": note, "closed_at": closed,
		}).Error
	})
}
