package jobs

import (
	"testing"
	"time"
)

func TestLastFireToday(t *testing.T) {
	ny := mustLoad("America/New_York")
	tests := []struct {
		name string
		spec string
		now  time.Time
		loc  *time.Location
		want time.Time // zero: not fired yet today
	}{
		{"Shanghai 09:00 not yet at 00:59 UTC", "0 9 * * *", time.Date(2026, 11, 24, 0, 59, 59, 0, time.UTC), shanghai, time.Time{}},
		{"Shanghai 09:00 fires at 01:00 UTC", "0 9 * * *", time.Date(2026, 11, 24, 1, 0, 0, 0, time.UTC), shanghai, time.Date(2026, 11, 24, 1, 0, 0, 0, time.UTC)},
		{"still today's at 23:59 local", "0 9 * * *", time.Date(2026, 11, 24, 15, 59, 0, 0, time.UTC), shanghai, time.Date(2026, 11, 24, 1, 0, 0, 0, time.UTC)},
		{"next local day starts over", "0 9 * * *", time.Date(2026, 11, 24, 16, 30, 0, 0, time.UTC), shanghai, time.Time{}},
		{"New York 09:00 is 14:00 UTC in winter", "0 9 * * *", time.Date(2026, 11, 24, 14, 0, 0, 0, time.UTC), ny, time.Date(2026, 11, 24, 14, 0, 0, 0, time.UTC)},
		{"New York 09:00 is 13:00 UTC in summer", "0 9 * * *", time.Date(2026, 7, 1, 13, 5, 0, 0, time.UTC), ny, time.Date(2026, 7, 1, 13, 0, 0, 0, time.UTC)},
		{"New York not yet at 08:59 local, long after Shanghai fired", "0 9 * * *", time.Date(2026, 11, 24, 13, 59, 0, 0, time.UTC), ny, time.Time{}},
		{"latest of several", "0 8,12,17 * * *", time.Date(2026, 11, 24, 5, 0, 0, 0, time.UTC), shanghai, time.Date(2026, 11, 24, 4, 0, 0, 0, time.UTC)},
		{"weekdays only: Sunday has none", "0 9 * * 1-5", time.Date(2026, 11, 29, 3, 0, 0, 0, time.UTC), shanghai, time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok, err := LastFireToday(tt.spec, tt.now, tt.loc)
			if err != nil {
				t.Fatal(err)
			}
			if ok != !tt.want.IsZero() || (ok && !got.Equal(tt.want)) {
				t.Fatalf("LastFireToday = %v, %v; want %v", got.UTC(), ok, tt.want)
			}
		})
	}
	if _, _, err := LastFireToday("0 9 * *", time.Now(), shanghai); err == nil {
		t.Fatal("a 4-field schedule was accepted")
	}
}

func TestNextFire(t *testing.T) {
	got, err := NextFire("0 9 * * *", time.Date(2026, 11, 24, 1, 0, 0, 0, time.UTC), shanghai)
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2026, 11, 25, 1, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Fatalf("NextFire = %v, want %v", got.UTC(), want)
	}
}
