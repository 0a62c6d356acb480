package jobs

import (
	"time"

	"github.com/dsrbot/dsrbot/storage"
)

// LastFireToday returns the latest time at or before now, on now's local
// day in loc, at which spec fires; ok is false if it has not fired yet
// today. Only today counts: a digest missed yesterday is stale news.
func LastFireToday(spec string, now time.Time, loc *time.Location) (t time.Time, ok bool, err error) {
	sched, err := storage.ParseSchedule(spec)
	if err != nil {
		return time.Time{}, false, err
	}
	local := now.In(loc)
	y, m, d := local.Date()
	// Next is strictly after its argument, so start just before midnight.
	cur := time.Date(y, m, d, 0, 0, 0, 0, loc).Add(-time.Second)
	for {
		next := sched.Next(cur)
		if next.IsZero() || next.After(local) {
			return t, ok, nil
		}
		t, ok, cur = next, true, next
	}
}

// NextFire returns the first time after now at which spec fires, in loc.
func NextFire(spec string, now time.Time, loc *time.Location) (time.Time, error) {
	sched, err := storage.ParseSchedule(spec)
	if err != nil {
		return time.Time{}, err
	}
	return sched.Next(now.In(loc)), nil
}
